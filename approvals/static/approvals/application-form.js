/* The travel application form: rows of the itinerary and the delegation added and removed in place,
   one delegation leader, the new-traveller fields shown only when no traveller is chosen, the name in
   pinyin suggested while the Chinese name is typed, and focus on the error summary. Plain JavaScript;
   without it the form still works (the Add buttons save the draft and come back with one more row; rows
   are removed with their checkbox; the server fills a pinyin name left empty). */
(function () {
  "use strict";

  var form = document.getElementById("application-form");
  if (!form) {
    return;
  }

  function rowsOf(prefix) {
    return Array.prototype.slice.call(document.querySelectorAll('#' + prefix + '-rows > [data-formset-row]'));
  }

  function visibleRows(prefix) {
    return rowsOf(prefix).filter(function (row) { return !row.hidden; });
  }

  function renumber(prefix) {
    visibleRows(prefix).forEach(function (row, index) {
      var number = row.querySelector(".row-number");
      if (number) {
        number.textContent = String(index + 1);
      }
    });
  }

  function announce(prefix, key) {
    var status = form.querySelector('[data-row-status="' + prefix + '"]');
    if (status) {
      status.textContent = "";
      window.setTimeout(function () { status.textContent = status.getAttribute("data-" + key) || ""; }, 50);
    }
  }

  function toggleNewPerson(row) {
    var select = row.querySelector('select[name$="-person"]');
    var block = row.querySelector("[data-new-person]");
    if (select && block) {
      block.hidden = select.value !== "";
    }
  }

  function setUpRow(row) {
    row.querySelectorAll("[data-js-only]").forEach(function (element) { element.hidden = false; });
    row.querySelectorAll("[data-no-js]").forEach(function (element) { element.hidden = true; });
    if (row.hasAttribute("data-removed")) {
      row.hidden = true;
    }
    toggleNewPerson(row);
  }

  function addRow(prefix) {
    var total = document.getElementById("id_" + prefix + "-TOTAL_FORMS");
    var template = document.getElementById(prefix + "-empty-form");
    var container = document.getElementById(prefix + "-rows");
    if (!total || !template || !container) {
      return;
    }
    var index = parseInt(total.value, 10) || 0;
    var html = template.innerHTML.replace(/__prefix__/g, String(index))
      .replace(/__number__/g, String(visibleRows(prefix).length + 1));
    container.insertAdjacentHTML("beforeend", html);
    total.value = String(index + 1);
    var row = container.lastElementChild;
    setUpRow(row);
    renumber(prefix);
    var first = row.querySelector("select, input:not([type=hidden]):not([type=checkbox]), textarea");
    if (first) {
      first.focus();
    }
    announce(prefix, "added");
  }

  function removeRow(button) {
    var row = button.closest("[data-formset-row]");
    var prefix = row.getAttribute("data-formset-row");
    var remove = row.querySelector('input[name$="-DELETE"]');
    if (remove) {
      remove.checked = true;
    }
    row.hidden = true;
    renumber(prefix);
    var add = form.querySelector('[data-add-row="' + prefix + '"]');
    if (add) {
      add.focus();
    }
    announce(prefix, "removed");
    // The rule check follows the rows that remain.
    form.dispatchEvent(new Event("change", { bubbles: true }));
  }

  function onlyOneLeader(checkbox) {
    if (!checkbox.checked) {
      return;
    }
    form.querySelectorAll('input[type=checkbox][name$="-is_leader"]').forEach(function (other) {
      if (other !== checkbox) {
        other.checked = false;
      }
    });
  }

  // The pinyin name is the server's suggestion for the Chinese name (approvals:pinyin_suggestion), put in
  // the field while it is empty or still holds the previous suggestion: a name the user typed stays.
  var pinyinUrl = form.getAttribute("data-pinyin-url");

  function keepsSuggestion(target) {
    return target.value === "" || target.value === target.getAttribute("data-suggested");
  }

  function suggestPinyin(source) {
    var row = source.closest("[data-formset-row]");
    var target = row && row.querySelector("[data-pinyin-target]");
    if (!pinyinUrl || !target || !keepsSuggestion(target)) {
      return;
    }
    window.clearTimeout(source.pinyinTimer);
    var name = source.value.trim();
    if (name === "") {
      target.value = "";
      target.setAttribute("data-suggested", "");
      return;
    }
    source.pinyinTimer = window.setTimeout(function () {
      window.fetch(pinyinUrl + "?name=" + encodeURIComponent(name), {
        credentials: "same-origin",
        headers: { "Accept": "application/json" }
      }).then(function (response) {
        return response.ok ? response.json() : null;
      }).then(function (data) {
        // Nothing changes when the name has changed since, or the user has typed a pinyin name meanwhile.
        if (data && source.value.trim() === name && keepsSuggestion(target)) {
          target.value = data.pinyin_name || "";
          target.setAttribute("data-suggested", target.value);
        }
      }).catch(function () { /* no suggestion: the server fills the field on saving */ });
    }, 250);
  }

  form.addEventListener("input", function (event) {
    if (event.target && event.target.hasAttribute("data-pinyin-source")) {
      suggestPinyin(event.target);
    }
  });

  document.querySelectorAll("[data-formset-row]").forEach(function (row) {
    if (!row.closest("template")) {
      setUpRow(row);
    }
  });
  ["legs", "members"].forEach(renumber);

  document.querySelectorAll("[data-add-row]").forEach(function (button) {
    button.addEventListener("click", function (event) {
      event.preventDefault();
      addRow(button.getAttribute("data-add-row"));
    });
  });

  form.addEventListener("click", function (event) {
    var button = event.target.closest("[data-remove-row]");
    if (button) {
      event.preventDefault();
      removeRow(button);
    }
  });

  form.addEventListener("change", function (event) {
    var target = event.target;
    if (!target || !target.name) {
      return;
    }
    if (/-is_leader$/.test(target.name)) {
      onlyOneLeader(target);
    } else if (/-person$/.test(target.name)) {
      toggleNewPerson(target.closest("[data-formset-row]"));
    } else if (/-arrive_on$/.test(target.name)) {
      var leave = form.querySelector('[name="' + target.name.replace(/arrive_on$/, "leave_on") + '"]');
      if (leave) {
        leave.min = target.value;
      }
    }
  });

  var summary = document.getElementById("error-summary");
  if (summary) {
    summary.focus();
  }
})();
