/* 大连市心理咨询师协会 — small improvements on top of pages that work without JavaScript.
   Loaded in <head> (not deferred) so the reader's text size applies before the page is drawn. */
(function () {
    "use strict";
    var KEY = "portal:text-size";
    var root = document.documentElement;

    function stored() {
        try { return window.localStorage.getItem(KEY); } catch (e) { return null; }
    }

    function apply(size) {
        root.classList.toggle("text-large", size === "large");
    }

    apply(stored());

    function setUpTextSize() {
        var groups = document.querySelectorAll("[data-text-size]");
        Array.prototype.forEach.call(groups, function (group) {
            var buttons = group.querySelectorAll("button[value]");
            function show() {
                var current = root.classList.contains("text-large") ? "large" : "normal";
                Array.prototype.forEach.call(buttons, function (button) {
                    button.setAttribute("aria-pressed", String(button.value === current));
                });
            }
            Array.prototype.forEach.call(buttons, function (button) {
                button.addEventListener("click", function () {
                    apply(button.value);
                    try { window.localStorage.setItem(KEY, button.value); } catch (e) { /* private mode: this page only */ }
                    show();
                });
            });
            show();
            group.hidden = false;
        });
    }

    function setUpCopy() {
        var buttons = document.querySelectorAll("button[data-copy]");
        Array.prototype.forEach.call(buttons, function (button) {
            var field = document.getElementById(button.getAttribute("data-copy"));
            if (!field) { return; }
            var status = button.parentNode.querySelector("[role=status]");
            button.addEventListener("click", function () {
                function done() { if (status) { status.textContent = button.getAttribute("data-copied"); } }
                if (navigator.clipboard && window.isSecureContext) {
                    navigator.clipboard.writeText(field.value).then(done, function () { field.select(); });
                } else {
                    field.select();
                    try { if (document.execCommand("copy")) { done(); } } catch (e) { /* the address stays selected */ }
                }
            });
            button.hidden = false;
        });
    }

    function setUpPhoneMenu() {
        // Escape closes the open menu and gives the focus back to its button.
        document.addEventListener("keydown", function (event) {
            if (event.key !== "Escape") { return; }
            var open = document.querySelector("details.phone-menu[open]");
            if (open) { open.open = false; open.querySelector("summary").focus(); }
        });
    }

    function setUpTableFields() {
        // A table in a call's form: "添加一行" copies the last row, emptied, with the next row number.
        var tables = document.querySelectorAll("[data-table-field]");
        Array.prototype.forEach.call(tables, function (table) {
            var button = table.querySelector("[data-add-row]");
            var body = table.querySelector("tbody");
            if (!button || !body) { return; }
            button.addEventListener("click", function () {
                var rows = body.querySelectorAll("tr");
                var last = rows[rows.length - 1];
                var row = last.cloneNode(true);
                Array.prototype.forEach.call(row.querySelectorAll("input"), function (input) {
                    input.value = "";
                    input.name = input.name.replace(/-(\d+)-(\d+)$/, "-" + rows.length + "-$2");
                });
                body.appendChild(row);
                row.querySelector("input").focus();
                if (rows.length + 1 >= 53) { button.hidden = true; }
            });
            button.hidden = false;
        });
    }

    function setUpConfirm() {
        // Buttons that undo something ask first (without script, the action goes ahead as asked).
        document.addEventListener("click", function (event) {
            var button = event.target.closest ? event.target.closest("button[data-confirm]") : null;
            if (button && !window.confirm(button.getAttribute("data-confirm"))) { event.preventDefault(); }
        });
    }

    function countView() {
        // 点击量 when a proxy or CDN serves the page: the article names where to report one view.
        var article = document.querySelector("[data-count-view]");
        if (!article) { return; }
        var url = article.getAttribute("data-count-view");
        if (navigator.sendBeacon) {
            navigator.sendBeacon(url);
        } else if (window.fetch) {
            window.fetch(url, { method: "POST", credentials: "omit", keepalive: true });
        }
    }

    document.addEventListener("DOMContentLoaded", function () {
        setUpTextSize();
        setUpCopy();
        setUpPhoneMenu();
        setUpTableFields();
        setUpConfirm();
        countView();
    });
}());
