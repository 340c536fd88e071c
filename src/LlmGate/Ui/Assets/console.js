// The LlmGate console's live updates: one EventSource, each message a JSON snapshot of the whole state.
// No framework and no inline code (the pages' CSP allows only this file).
(function () {
    "use strict";

    var status = document.querySelector("[data-live-status]");

    function get(obj, path) {
        return path.split(".").reduce(function (o, k) { return o == null ? undefined : o[k]; }, obj);
    }

    function utc(iso) {
        var d = new Date(iso);
        return isNaN(d) ? "" : d.toISOString().replace("T", " ").replace(/\.\d+Z$/, " UTC");
    }

    function local(iso) {
        var d = new Date(iso);
        return isNaN(d) ? "" : d.toLocaleString();
    }

    function num(v, digits) {
        return Number(v).toLocaleString("en-US", { maximumFractionDigits: digits });
    }

    var healthText = { healthy: "Healthy", unhealthy: "Unhealthy", cooling: "Cooling down" };

    function format(value, kind) {
        if (value === null || value === undefined) {
            return kind === "limit" ? "no limit" : "–";
        }
        switch (kind) {
            case "ms": return num(value, 1) + " ms";
            case "rate": return num(value, 2) + "/s";
            case "percent": return num(value * 100, 1) + " %";
            case "int": case "limit": return num(value, 0);
            case "health": return healthText[value] || value;
            case "breached": return value ? "At threshold" : "Below";
            case "statuses":
                return value.length ? value.map(function (f) { return f.status + ": " + num(f.count, 0); }).join(", ") : "none";
            case "errors":
                return value.length ? value.slice(0, 3).map(function (e) { return e.status + " " + e.kind + " at " + utc(e.at); }).join("; ") : "none";
            default: return String(value);
        }
    }

    function setTime(el, iso) {
        el.setAttribute("datetime", iso);
        el.textContent = local(iso);
        el.title = utc(iso);
    }

    function localiseTimes(root) {
        root.querySelectorAll("time[datetime]").forEach(function (t) {
            var iso = t.getAttribute("datetime");
            if (iso) { setTime(t, iso); }
        });
    }

    function fill(el, item) {
        el.querySelectorAll("[data-field]").forEach(function (f) {
            var value = item[f.getAttribute("data-field")];
            var kind = f.getAttribute("data-format");
            if (f.tagName === "TIME") {
                setTime(f, value);
            } else if (kind === "time") {
                f.textContent = "";
                if (value) {
                    var t = document.createElement("time");
                    setTime(t, value);
                    f.appendChild(t);
                } else {
                    f.textContent = "–";
                }
            } else {
                var text = format(value, kind);
                if (f.textContent !== text) { f.textContent = text; }
                if (kind === "breached") { f.setAttribute("data-state", value ? "bad" : "ok"); }
            }
        });
        if (item.health) { el.setAttribute("data-health", item.health); }
    }

    // Lists keyed by id: rows are updated in place, added from the page's template, removed when gone.
    var keyAttr = { deployments: "data-deployment", incidents: "data-incident", windows: "data-window", channels: "data-channel" };

    function updateList(container, items) {
        var name = container.getAttribute("data-list");
        var key = container.getAttribute("data-key");
        var attr = keyAttr[name];
        var template = document.querySelector('template[data-template="' + name + '"]');
        var seen = {};
        items.forEach(function (item) {
            var id = String(item[key]);
            seen[id] = true;
            var row = null;
            container.querySelectorAll("[" + attr + "]").forEach(function (r) { if (r.getAttribute(attr) === id) { row = r; } });
            if (!row) {
                if (!template) { return; }
                row = template.content.firstElementChild.cloneNode(true);
                row.setAttribute(attr, id);
                container.appendChild(row);
            }
            fill(row, item);
        });
        container.querySelectorAll("[" + attr + "]").forEach(function (r) {
            if (!seen[r.getAttribute(attr)]) { r.remove(); }
        });
        var empty = document.querySelector('[data-empty-for="' + name + '"]');
        if (empty) { empty.hidden = items.length > 0; }
    }

    function spark(svg, series) {
        var line = svg.querySelector("polyline");
        if (!line || !series) { return; }
        var max = 0;
        series.forEach(function (v) { if (v > max) { max = v; } });
        line.setAttribute("points", series.map(function (v, i) {
            var y = max <= 0 ? 30 : Math.round((30 - ((v || 0) / max) * 29) * 10) / 10;
            return i + "," + y;
        }).join(" "));
    }

    function apply(snapshot) {
        document.querySelectorAll("[data-live]").forEach(function (el) {
            var text = format(get(snapshot, el.getAttribute("data-live")), el.getAttribute("data-format"));
            if (el.textContent !== text) { el.textContent = text; }
        });
        document.querySelectorAll("[data-spark]").forEach(function (svg) {
            spark(svg, get(snapshot, svg.getAttribute("data-spark")));
        });
        document.querySelectorAll("[data-list]").forEach(function (list) {
            var items = snapshot[list.getAttribute("data-list")];
            if (Array.isArray(items)) { updateList(list, items); }
        });
    }

    function setState(state, text) {
        if (!status) { return; }
        status.setAttribute("data-state", state);
        status.textContent = text;
    }

    localiseTimes(document);
    if (!status || typeof EventSource === "undefined") { return; }

    var source = null;
    var retry = 1000;
    function connect() {
        source = new EventSource("/ui/api/events");
        source.onmessage = function (event) {
            retry = 1000;
            try {
                var snapshot = JSON.parse(event.data);
                apply(snapshot);
                setState("live", "Live · updated " + local(snapshot.at));
            } catch (e) {
                setState("reconnecting", "Reconnecting…");
            }
        };
        source.onerror = function () {
            setState("reconnecting", "Reconnecting…");
            if (source.readyState === EventSource.CLOSED) {
                // 401 (session ended) or 503 (too many viewers): the browser gives up; try again, slower each time.
                setTimeout(connect, retry);
                retry = Math.min(retry * 2, 30000);
            }
        };
    }
    connect();
}());
