// hirepath: a little progressive enhancement. Every page works without it.
(function () {
  "use strict";

  // Screen eligibility as the HR person types (the "Check eligibility" button does it otherwise).
  var form = document.getElementById("new-hire");
  var target = document.getElementById("verdicts");
  if (form && target && window.fetch) {
    var timer = null;
    var screen = function () {
      var data = new FormData(form);
      fetch(form.getAttribute("data-screen"), {
        method: "POST",
        body: data,
        headers: { "X-Requested-With": "fetch" },
        credentials: "same-origin",
      })
        .then(function (response) { return response.ok ? response.text() : null; })
        .then(function (html) { if (html !== null) { target.innerHTML = html; } })
        .catch(function () {});
    };
    var later = function () { clearTimeout(timer); timer = setTimeout(screen, 400); };
    form.addEventListener("input", later);
    form.addEventListener("change", later);
  }

  // After an action, bring its message (shown next to what was acted on) into view and
  // move focus to it, so a screen reader reads it too. After the page's own jump to the
  // #fragment, which would take focus back to the body.
  var message = document.querySelector("[data-focus]");
  if (message) {
    window.addEventListener("load", function () {
      setTimeout(function () {
        message.scrollIntoView({ block: "center" });
        message.focus({ preventScroll: true });
      }, 0);
    });
  }

  // Ask before something that cannot be undone.
  document.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest("[data-confirm]") : null;
    if (button && !window.confirm(button.getAttribute("data-confirm"))) {
      event.preventDefault();
    }
  });
})();
