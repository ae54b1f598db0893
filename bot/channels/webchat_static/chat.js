/*
 * OneStory web chat widget: plain JavaScript, no framework, speaking Rasa's socketio channel.
 *
 * - Renders into <div id="onestory-chat" data-server="https://bot.example">; an empty
 *   data-server means "this page's own server" (the /chat page).
 * - Keeps the session id in localStorage and asks for it with `session_request`, so the
 *   conversation (and a link to the family record) survives reloads. The visible history is
 *   kept in sessionStorage: it survives a reload but not closing the tab, so a shared computer
 *   does not keep a carer's record on screen. "Forget this chat" clears both and ends the link.
 * - Bot messages are shown as text only (textContent), never as HTML.
 * - Accessibility (WCAG 2.2 AA): a labelled form, a real button, a role="log" live region,
 *   visible focus, no keyboard traps; the styles work at 200% text and 320px wide.
 */
(function () {
  "use strict";

  var SESSION_KEY = "onestory.session";
  var HISTORY_KEY = "onestory.history";
  var MAX_HISTORY = 100;
  var MAX_LENGTH = 1000;

  function store(kind) {
    try {
      var s = window[kind];
      var probe = "onestory.probe";
      s.setItem(probe, "1");
      s.removeItem(probe);
      return s;
    } catch (e) {
      return null; // storage blocked: the chat still works, without persistence
    }
  }

  var local = store("localStorage");
  var session = store("sessionStorage");

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (name) { node.setAttribute(name, attrs[name]); });
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function loadHistory() {
    if (!session) return [];
    try {
      var items = JSON.parse(session.getItem(HISTORY_KEY) || "[]");
      return Array.isArray(items) ? items : [];
    } catch (e) {
      return [];
    }
  }

  function saveHistory(items) {
    if (session) session.setItem(HISTORY_KEY, JSON.stringify(items.slice(-MAX_HISTORY)));
  }

  function mount(root) {
    if (!root || root.getAttribute("data-onestory-mounted")) return;
    root.setAttribute("data-onestory-mounted", "1");
    var server = (root.getAttribute("data-server") || "").replace(/\/+$/, "");
    var uid = "onestory-" + Math.random().toString(36).slice(2, 8);
    var inputId = root.getAttribute("data-input-id") || "onestory-input";

    var section = el("section", { "class": "os-chat", "aria-labelledby": uid + "-title" });
    var title = el("h2", { id: uid + "-title", "class": "os-chat-title" }, "Chat with OneStory");
    var status = el("p", { "class": "os-status", role: "status", id: uid + "-status" }, "Connecting…");
    var log = el("div", {
      "class": "os-log", role: "log", "aria-live": "polite", "aria-relevant": "additions",
      "aria-labelledby": uid + "-title", tabindex: "0"
    });
    var list = el("ol", { "class": "os-messages" });
    log.appendChild(list);

    var form = el("form", { "class": "os-form", "aria-labelledby": uid + "-label", novalidate: "" });
    var label = el("label", { "for": inputId, id: uid + "-label", "class": "os-label" }, "Your message");
    var hint = el("p", { id: uid + "-hint", "class": "os-hint" },
      "Press Enter to send. Don't include bank details or passwords.");
    var row = el("div", { "class": "os-row" });
    var input = el("input", {
      id: inputId, name: "message", type: "text", "class": "os-input", autocomplete: "off",
      maxlength: String(MAX_LENGTH), "aria-describedby": uid + "-hint"
    });
    var send = el("button", { type: "submit", "class": "os-button" }, "Send");
    row.appendChild(input);
    row.appendChild(send);
    form.appendChild(label);
    form.appendChild(hint);
    form.appendChild(row);

    var forget = el("button", { type: "button", "class": "os-button os-button-secondary" }, "Forget this chat");
    var footer = el("div", { "class": "os-footer" });
    footer.appendChild(forget);

    section.appendChild(title);
    section.appendChild(log);
    section.appendChild(status);
    section.appendChild(form);
    section.appendChild(footer);
    root.appendChild(section);

    var history = loadHistory();

    function render(item) {
      var li = el("li", { "class": "os-message os-from-" + (item.from === "user" ? "user" : "bot") });
      // The speaker is read out by screen readers and shown as a small heading.
      li.appendChild(el("span", { "class": "os-speaker" }, item.from === "user" ? "You: " : "OneStory: "));
      var text = el("span", { "class": "os-text" });
      text.textContent = String(item.text || ""); // never innerHTML: bot text is data, not markup
      li.appendChild(text);
      list.appendChild(li);
      log.scrollTop = log.scrollHeight;
      return li;
    }

    function add(from, text) {
      var item = { from: from, text: String(text) };
      history.push(item);
      saveHistory(history);
      render(item);
    }

    // Re-render what this tab already showed, without announcing it again.
    log.setAttribute("aria-live", "off");
    history.forEach(render);
    log.setAttribute("aria-live", "polite");

    function setStatus(text) {
      if (status.textContent !== text) status.textContent = text;
    }

    if (typeof window.io !== "function") {
      setStatus("Sorry, the chat could not load. Please reload the page, or text us instead.");
      send.disabled = true;
      return;
    }

    var sessionId = local ? local.getItem(SESSION_KEY) : null;
    var ready = false;
    var queue = [];
    var socket = window.io(server || undefined, { path: "/socket.io", transports: ["websocket", "polling"] });

    socket.on("connect", function () {
      socket.emit("session_request", { session_id: sessionId });
    });
    socket.on("session_confirm", function (confirmed) {
      var id = typeof confirmed === "string" ? confirmed : (confirmed && confirmed.session_id);
      if (id) {
        sessionId = id;
        if (local) local.setItem(SESSION_KEY, id);
      }
      ready = true;
      setStatus(history.length ? "Connected. Your earlier messages are above." : "Connected.");
      root.setAttribute("data-session", sessionId || "");
      while (queue.length) socket.emit("user_uttered", queue.shift());
    });
    socket.on("disconnect", function () {
      ready = false;
      setStatus("Reconnecting…");
    });
    socket.on("connect_error", function () {
      setStatus("Can't reach OneStory just now. Trying again…");
    });
    socket.on("bot_uttered", function (message) {
      if (!message) return;
      if (message.text) add("bot", message.text);
      var replies = message.quick_replies || message.buttons || [];
      if (replies.length) showChoices(replies);
      if (message.attachment) add("bot", "(OneStory sent an attachment this chat can't show.)");
    });

    function showChoices(replies) {
      var li = el("li", { "class": "os-message os-choices" });
      replies.forEach(function (reply) {
        var button = el("button", { type: "button", "class": "os-button os-button-secondary" },
          String(reply.title || reply.payload || ""));
        button.addEventListener("click", function () {
          li.parentNode && li.parentNode.removeChild(li);
          say(String(reply.payload || reply.title || ""), String(reply.title || reply.payload || ""));
          input.focus();
        });
        li.appendChild(button);
      });
      list.appendChild(li);
    }

    function say(message, shown) {
      add("user", shown || message);
      var data = { message: message, session_id: sessionId };
      if (ready) socket.emit("user_uttered", data); else queue.push(data);
    }

    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var text = input.value.replace(/^\s+|\s+$/g, "");
      if (!text) {
        setStatus("Type a message first.");
        input.focus();
        return;
      }
      say(text.slice(0, MAX_LENGTH));
      input.value = "";
      input.focus();
    });

    forget.addEventListener("click", function () {
      var old = sessionId;
      if (old) {
        try {
          var request = new XMLHttpRequest();
          request.open("POST", server + "/chat/forget");
          request.setRequestHeader("Content-Type", "application/json");
          request.send(JSON.stringify({ session_id: old }));
        } catch (e) { /* the link also lapses by itself after 30 idle days */ }
      }
      if (local) local.removeItem(SESSION_KEY);
      if (session) session.removeItem(HISTORY_KEY);
      history = [];
      while (list.firstChild) list.removeChild(list.firstChild);
      sessionId = null;
      ready = false;
      // A fresh connection leaves the old session's room: nothing more from it reaches this page.
      socket.disconnect();
      socket.connect();
      setStatus("This chat has been forgotten on this device.");
      input.focus();
    });
  }

  function start() {
    var roots = document.querySelectorAll("[data-onestory-chat], #onestory-chat");
    for (var i = 0; i < roots.length; i++) mount(roots[i]);
  }

  window.OneStoryChat = { mount: mount };
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
