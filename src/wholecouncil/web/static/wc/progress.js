// Keeps a progress panel (#wc-progress) up to date without reloading the page: every few seconds the page is
// fetched again and the panel's figures replaced; once the page no longer has a panel (the work is done),
// it is reloaded to show the outcome. A button stops and restarts the updates (WCAG 2.2.2).
(function () {
  "use strict";
  var panel = document.getElementById("wc-progress");
  if (!panel || !window.fetch || !window.DOMParser) {
    return;
  }
  var toggle = panel.querySelector("[data-wc-progress-toggle]");
  var every = 3000;
  var timer = null;
  var paused = false;

  function replace(id, fresh) {
    var mine = document.getElementById(id);
    var theirs = fresh.getElementById(id);
    if (mine && theirs && mine.innerHTML !== theirs.innerHTML) {
      mine.innerHTML = theirs.innerHTML;
    }
  }

  var fetching = false;

  function refresh() {
    if (fetching || paused) {
      return;
    }
    fetching = true;
    window.fetch(window.location.href, { credentials: "same-origin", headers: { Accept: "text/html" } })
      .then(function (response) {
        if (!response.ok) {
          throw new Error("status " + response.status); // a passing gateway error: try again later
        }
        return response.text();
      })
      .then(function (html) {
        fetching = false;
        if (paused) {
          return;
        }
        var fresh = new DOMParser().parseFromString(html, "text/html");
        if (!fresh.getElementById("wc-progress")) {
          window.location.reload(); // the work is done: show its outcome
          return;
        }
        replace("wc-progress-step", fresh);
        replace("wc-progress-figures", fresh);
        schedule();
      })
      .catch(function () {
        fetching = false;
        schedule();
      });
  }

  function schedule() {
    window.clearTimeout(timer);
    if (!paused) {
      timer = window.setTimeout(refresh, every);
    }
  }

  if (toggle) {
    toggle.hidden = false;
    toggle.addEventListener("click", function () {
      paused = !paused;
      toggle.textContent = paused ? "Start updating again" : "Stop updating";
      if (paused) {
        window.clearTimeout(timer);
      } else if (!fetching) {
        refresh();
      }
    });
  }
  schedule();
})();
