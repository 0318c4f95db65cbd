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
        countView();
    });
}());
