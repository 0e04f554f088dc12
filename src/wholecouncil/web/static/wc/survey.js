/* Staff time survey: keeps the running total up to date as a respondent types.
 *
 * Progressive enhancement only. Without this script the page still works: the total shown is the one the
 * server worked out, and the server checks the answers on save and submit. The wording matches
 * forms_survey.total_status. Screen readers hear the total once typing pauses, not on every key.
 */
(function () {
  "use strict";

  var NUMBER = /^(\d+(\.\d*)?|\.\d+)$/;
  var ANNOUNCE_AFTER_MS = 1000;

  function hundredths(text, percent) {
    var value = String(text).replace(/[\s\u00a0]/g, "");
    if (percent && value.charAt(value.length - 1) === "%") {
      value = value.slice(0, -1);
    }
    if (!NUMBER.test(value)) {
      return 0;
    }
    return Math.round(parseFloat(value) * 100);
  }

  function show(cents) {
    var text = (cents / 100).toFixed(2);
    return text.replace(/0+$/, "").replace(/\.$/, "");
  }

  function status(total, target, tolerance, percent) {
    if (target <= 0) {
      return "";
    }
    var gap = target - total;
    if (Math.abs(gap) <= tolerance) {
      return percent ? "Adds up to 100%" : "Adds up to your contracted hours";
    }
    if (percent) {
      return gap > 0 ? show(gap) + "% left to account for" : show(-gap) + "% more than 100%";
    }
    if (gap > 0) {
      return show(gap) + (gap === 100 ? " hour" : " hours") + " left to account for";
    }
    return show(-gap) + (gap === -100 ? " hour" : " hours") + " more than your contracted hours";
  }

  function start(form) {
    var box = form.querySelector("[data-survey-total]");
    if (!box) {
      return;
    }
    var inputs = form.querySelectorAll("[data-survey-answer]");
    var sum = box.querySelector("[data-survey-sum]");
    var state = box.querySelector("[data-survey-status]");
    var announce = form.querySelector("[data-survey-announce]");
    var percent = box.getAttribute("data-unit") === "percent";
    var target = hundredths(box.getAttribute("data-target"), false);
    var tolerance = hundredths(box.getAttribute("data-tolerance"), false);
    var timer = null;

    function update(quiet) {
      var total = 0;
      for (var i = 0; i < inputs.length; i++) {
        total += hundredths(inputs[i].value, percent);
      }
      var words = status(total, target, tolerance, percent);
      sum.textContent = show(total);
      state.textContent = words;
      if (announce && !quiet) {
        window.clearTimeout(timer);
        timer = window.setTimeout(function () {
          var of = percent ? "%" : " of " + show(target) + " hours";
          announce.textContent = "Total " + show(total) + of + ". " + words;
        }, ANNOUNCE_AFTER_MS);
      }
    }

    form.addEventListener("input", function (event) {
      if (event.target && event.target.hasAttribute("data-survey-answer")) {
        update(false);
      }
    });
    update(true);
  }

  var forms = document.querySelectorAll("[data-survey-form]");
  for (var i = 0; i < forms.length; i++) {
    start(forms[i]);
  }
})();
