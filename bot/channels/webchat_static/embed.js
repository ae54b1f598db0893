/*
 * Embeds the OneStory chat in any page:
 *   <script src="https://BOT/chat/static/embed.js" data-server="https://BOT" async></script>
 * Optional: data-target="some-element-id" renders into that element instead of just after
 * the script tag. Loads only from the OneStory server (no CDN).
 */
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script) return;
  var server = (script.getAttribute("data-server") || new URL(script.src, location.href).origin).replace(/\/+$/, "");

  function load(tag, attrs, then) {
    var node = document.createElement(tag);
    Object.keys(attrs).forEach(function (name) { node.setAttribute(name, attrs[name]); });
    if (then) node.addEventListener("load", then);
    document.head.appendChild(node);
  }

  var target = script.getAttribute("data-target") && document.getElementById(script.getAttribute("data-target"));
  var root = document.createElement("div");
  root.setAttribute("data-onestory-chat", "");
  root.setAttribute("data-server", server);
  if (target) target.appendChild(root);
  else script.parentNode.insertBefore(root, script.nextSibling);

  load("link", { rel: "stylesheet", href: server + "/chat/static/chat.css" });
  function widget() {
    if (window.OneStoryChat) window.OneStoryChat.mount(root);
    else load("script", { src: server + "/chat/static/chat.js" });
  }
  if (typeof window.io === "function") widget();
  else load("script", { src: server + "/chat/static/socket.io.min.js" }, widget);
})();
