"""A TCP proxy in front of PostgreSQL that a test can make refuse or hang.

- refuse(): the listening port closes and every open connection is reset, as when the database
  server is down; restore() opens it again.
- hang(): connections stay open but nothing is forwarded either way (new ones are accepted and
  then hear nothing), as with a stuck server or a network that silently drops traffic; bytes
  already read are held, not lost, and flow again on restore().
"""
from __future__ import annotations

import socket
import threading
from typing import Optional


class TcpProxy:
    def __init__(self, upstream_port: int, upstream_host: str = "127.0.0.1") -> None:
        self.upstream = (upstream_host, upstream_port)
        self.flowing = threading.Event()
        self.flowing.set()
        self._lock = threading.Lock()
        self._connections: set[socket.socket] = set()
        self._listener: Optional[socket.socket] = None
        self.port = 0
        self._listen()

    @property
    def url_host(self) -> str:
        return f"127.0.0.1:{self.port}"

    # --- faults --------------------------------------------------------------------------------

    def refuse(self) -> None:
        self.flowing.set()
        self._close_listener()
        with self._lock:
            connections, self._connections = list(self._connections), set()
        for connection in connections:
            _reset(connection)

    def hang(self) -> None:
        self.flowing.clear()

    def restore(self) -> None:
        if self._listener is None:
            self._listen()
        self.flowing.set()

    def close(self) -> None:
        self.refuse()

    # --- plumbing ------------------------------------------------------------------------------

    def _listen(self) -> None:
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen(64)
        self.port = listener.getsockname()[1]
        self._listener = listener
        threading.Thread(target=self._accept, args=(listener,), daemon=True).start()

    def _close_listener(self) -> None:
        listener, self._listener = self._listener, None
        if listener is not None:
            try:
                listener.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            listener.close()

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return
            threading.Thread(target=self._open, args=(client,), daemon=True).start()

    def _open(self, client: socket.socket) -> None:
        self.flowing.wait()  # a new connection while hanging hears nothing until restored
        try:
            server = socket.create_connection(self.upstream, timeout=5)
            server.settimeout(None)
        except OSError:
            _reset(client)
            return
        with self._lock:
            self._connections.update((client, server))
        for source, target in ((client, server), (server, client)):
            threading.Thread(target=self._pump, args=(source, target), daemon=True).start()

    def _pump(self, source: socket.socket, target: socket.socket) -> None:
        try:
            while True:
                self.flowing.wait()
                data = source.recv(65536)
                if not data:
                    break
                self.flowing.wait()  # read during a hang: held until restored
                target.sendall(data)
        except OSError:
            pass
        for sock in (source, target):
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
        with self._lock:
            self._connections.discard(source)
            self._connections.discard(target)


def _reset(sock: socket.socket) -> None:
    """Close with RST, as a dead server's host does (shutdown first wakes a thread in recv)."""
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
        sock.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass
    try:
        sock.close()
    except OSError:
        pass
