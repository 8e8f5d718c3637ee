// onair's pages work without this script. It adds: a switch that shows the
// week in another time zone, a clock that moves the on-air highlight as time
// passes, and a button that copies a feed's address.
"use strict";
(function () {
  // The clock. onair serve says what time it is (it may run a shifted
  // clock) in a Server-Timing entry; a static host does not, and the
  // browser's clock is the clock.
  let skew = 0;
  try {
    const nav = performance.getEntriesByType("navigation")[0];
    const entry = nav && (nav.serverTiming || []).find(function (e) { return e.name === "clock"; });
    if (entry) skew = Number(entry.description) - (performance.timeOrigin + nav.responseStart);
  } catch (e) { /* no timing: the browser's clock */ }
  function now() { return (Date.now() + skew) / 1000; }

  const dataNode = document.getElementById("onair-data");
  const data = dataNode ? JSON.parse(dataNode.textContent) : null;
  if (data) {
    // Each airing names its show; the show says the rest once.
    data.airings.forEach(function (a) {
      const show = data.shows[a.show];
      a.title = a.title || show.title;
      a.href = show.href;
      a.kind = a.live ? "live" : "rebroadcast";
      a.stream = a.live ? show.stream || data.stream || "" : "";
      a.start = data.base + a.at * 60;
      a.end = a.start + a.len * 60;
    });
  }
  const loaded = Date.now();
  const months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
  const formats = {};

  // wall is an instant (Unix seconds) on the wall clock of zone.
  function wall(t, zone) {
    let f = formats[zone];
    if (!f) {
      f = formats[zone] = new Intl.DateTimeFormat("en-GB", {
        timeZone: zone, weekday: "short", year: "numeric", month: "2-digit", day: "2-digit",
        hour: "2-digit", minute: "2-digit", hourCycle: "h23", timeZoneName: "short",
      });
    }
    const o = {};
    f.formatToParts(new Date(t * 1000)).forEach(function (p) { o[p.type] = p.value; });
    const min = Number(o.hour) * 60 + Number(o.minute);
    return {
      date: o.year + "-" + o.month + "-" + o.day,
      min: min,
      hm: o.hour + ":" + o.minute,
      label: o.weekday + " " + Number(o.day) + " " + months[Number(o.month) - 1],
      zone: o.timeZoneName,
      // off is the zone's offset, in minutes, at t.
      off: Math.round((Date.UTC(+o.year, +o.month - 1, +o.day, 0, min) / 1000 - Math.floor(t / 60) * 60) / 60),
    };
  }
  // ends are an airing's start and end as hh:mm, each with its zone when
  // the clocks change between them ("01:30 GMT-4", "01:30 GMT-5").
  function ends(s, e) {
    if (s.off === e.off) return [s.hm, e.hm];
    return [s.hm + " " + s.zone, e.hm + " " + e.zone];
  }
  function addDays(date, n) {
    const d = new Date(Date.UTC(+date.slice(0, 4), +date.slice(5, 7) - 1, +date.slice(8, 10) + n));
    return d.toISOString().slice(0, 10);
  }
  function dayLabel(date) {
    const d = new Date(Date.UTC(+date.slice(0, 4), +date.slice(5, 7) - 1, +date.slice(8, 10)));
    return d.toLocaleDateString("en-GB", { weekday: "short", timeZone: "UTC" }) + " " + d.getUTCDate() + " " + months[d.getUTCMonth()];
  }
  function iso(t) { return new Date(t * 1000).toISOString().replace(".000Z", "Z"); }

  // h makes an element: h("a", {href: "x", class: "y"}, child, ...).
  function h(tag, attrs) {
    const el = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      if (k.startsWith("--")) el.style.setProperty(k, attrs[k]);
      else el.setAttribute(k, attrs[k]);
    });
    for (let i = 2; i < arguments.length; i++) {
      const c = arguments[i];
      if (c !== null && c !== undefined) el.append(c);
    }
    return el;
  }
  function kindLabel(a) { return a.kind === "live" ? "Live" : "Rebroadcast"; }

  // states marks each airing as of t, as the server does.
  function states(t) {
    let first = null;
    const out = {};
    data.airings.forEach(function (a) {
      if (a.end <= t) out[a.id] = "past";
      else if (a.start <= t) out[a.id] = "now";
      else if (first === null || a.start === first) { first = a.start; out[a.id] = "next"; }
    });
    return out;
  }

  function when(a, zone) {
    const s = wall(a.start, zone), e = wall(a.end, zone), hm = ends(s, e);
    return h("span", { class: "when" },
      h("time", { datetime: iso(a.start) }, s.label + ", " + hm[0]), "–",
      h("time", { datetime: iso(a.end) }, hm[1]));
  }
  function summary(li, a, zone) {
    li.append(h("a", { class: "title", href: a.href }, a.title), " ",
      h("span", { class: "kind " + a.kind }, kindLabel(a)), " ", when(a, zone));
  }

  // renderOnAir rewrites the on-air box as the template writes it.
  function renderOnAir(st, zone) {
    const box = document.getElementById("onair");
    if (!box) return;
    const nowList = data.airings.filter(function (a) { return st[a.id] === "now"; });
    const nextList = data.airings.filter(function (a) { return st[a.id] === "next"; });
    const nowDiv = h("div", { class: "now" }, h("h3", null, "On air now"));
    if (nowList.length) {
      const ul = h("ul");
      nowList.forEach(function (a) {
        const li = h("li");
        summary(li, a, zone);
        if (a.stream) li.append(" ", h("a", { class: "listen", href: a.stream }, "Listen live"));
        ul.append(li);
      });
      nowDiv.append(ul);
    } else nowDiv.append(h("p", { class: "empty" }, "Nothing is on the air."));
    const nextDiv = h("div", { class: "next" }, h("h3", null, "Up next"));
    if (nextList.length) {
      const ul = h("ul");
      nextList.forEach(function (a) { const li = h("li"); summary(li, a, zone); ul.append(li); });
      nextDiv.append(ul);
    } else nextDiv.append(h("p", { class: "empty" }, "Nothing is scheduled."));
    box.replaceChildren(box.querySelector("h2"), nowDiv, nextDiv);
  }

  // renderGrid lays the week out in zone as the server does in the
  // station's zone (web/week.go).
  function renderGrid(st, zone, t) {
    const holder = document.getElementById("grid");
    if (!holder) return;
    const today = wall(t, zone).date;
    const days = [];
    const index = {};
    for (let i = 0; i < data.days; i++) {
      const d = addDays(today, i);
      index[d] = i;
      days.push({ date: d, parts: [] });
    }
    let from = 24 * 60, to = 0;
    data.airings.forEach(function (a) {
      const s = wall(a.start, zone), e = wall(a.end, zone);
      let endDate = e.date, endMin = e.min;
      if (endMin === 0 && endDate > s.date) { endDate = addDays(endDate, -1); endMin = 24 * 60; }
      for (let d = s.date; d <= endDate; d = addDays(d, 1)) {
        const p = { a: a, top: d === s.date ? s.min : 0, bottom: d === endDate ? endMin : 24 * 60, continued: d !== s.date, s: s, e: e };
        if (p.bottom <= p.top) p.bottom = Math.min(24 * 60, p.top + Math.floor((a.end - a.start) / 60));
        if (!(d in index)) continue;
        days[index[d]].parts.push(p);
        from = Math.min(from, Math.floor(p.top / 60) * 60);
        to = Math.max(to, Math.ceil(p.bottom / 60) * 60);
      }
    });
    if (from >= to) {
      holder.replaceChildren(h("p", { class: "empty" }, "Nothing is scheduled in the next seven days."));
      return;
    }
    const ruler = h("ol", { class: "ruler", "aria-hidden": "true" });
    for (let m = from; m < to; m += 60) ruler.append(h("li", { "--at": m }, String(m / 60).padStart(2, "0") + ":00"));
    const list = h("ol", { class: "days" });
    days.forEach(function (d, i) {
      const head = h("h3", null, dayLabel(d.date));
      if (i === 0) head.append(" ", h("span", { class: "tag" }, "Today"));
      const li = h("li", { class: "day" + (i === 0 ? " today" : ""), "data-date": d.date }, head);
      const ol = h("ol", { class: "airings" });
        d.parts.forEach(function (p) {
          const a = p.a, state = st[a.id];
          const link = h("a", { href: a.href },
            h("span", { class: "when" }, h("time", { datetime: iso(a.start) }, ends(p.s, p.e)[0]), "–" + ends(p.s, p.e)[1]), " ",
            h("span", { class: "title" }, a.title), " ", h("span", { class: "kind" }, kindLabel(a)));
          if (state === "now" || state === "next") link.append(" ", h("span", { class: "state" }, state === "now" ? "On air" : "Next"));
          ol.append(h("li", {
            class: "airing " + a.kind + (state ? " " + state : "") + (p.continued ? " continued" : ""),
            "data-id": a.id, "--top": p.top, "--bottom": p.bottom,
          }, link));
        });
      li.append(ol);
      if (!d.parts.length) li.append(h("p", { class: "empty" }, "Nothing scheduled"));
      list.append(li);
    });
    const grid = h("div", { class: "grid", "--from": from, "--to": to }, ruler, list);
    holder.replaceChildren(grid);
  }

  // The zone switch, and the clock.
  const select = document.getElementById("zone");
  const stationZone = data ? data.zone : "";
  let zone = stationZone;
  let shown = "";
  // key says what a rendering shows: the zone, the day, the states.
  function key(st, t) {
    return zone + " " + wall(t, zone).date + " " + Object.keys(st).map(function (id) { return id + ":" + st[id]; }).join(" ");
  }
  function render(force) {
    if (!data) return;
    const t = now();
    const st = states(t);
    const k = key(st, t);
    // A page left open past its data reloads (at most once a minute).
    if (t > data.until && Date.now() - loaded > 60000) {
      location.reload();
      return;
    }
    if (!force && k === shown) return;
    shown = k;
    renderOnAir(st, zone);
    renderGrid(st, zone, t);
    const note = document.getElementById("zone-note");
    if (note) note.textContent = "Times are in " + zone + ".";
  }
  if (select && data) {
    const mine = Intl.DateTimeFormat().resolvedOptions().timeZone;
    if (mine && mine !== stationZone) select.append(h("option", { value: mine }, "Your time (" + mine + ")"));
    const all = Intl.supportedValuesOf ? Intl.supportedValuesOf("timeZone") : [];
    const group = h("optgroup", { label: "Every zone" });
    all.forEach(function (z) { group.append(h("option", { value: z }, z)); });
    if (all.length) select.append(group);
    let saved = null;
    try { saved = localStorage.getItem("onair-zone"); } catch (e) { /* storage off */ }
    if (saved && (all.indexOf(saved) >= 0 || saved === mine)) zone = saved;
    select.value = zone;
    select.addEventListener("change", function () {
      zone = select.value;
      try { localStorage.setItem("onair-zone", zone); } catch (e) { /* storage off */ }
      render(true);
    });
    select.closest(".zone-switch").hidden = false;
  }
  if (data) {
    // The page as served is right for the station's zone at the server's
    // time: rewrite it only when the zone or the time says otherwise.
    const t = now();
    const st = states(t);
    const served = Array.from(new Set(Array.prototype.map.call(document.querySelectorAll(".airing.now, .airing.next"), function (el) { return el.dataset.id; }))).sort();
    const due = Object.keys(st).filter(function (id) { return st[id] === "now" || st[id] === "next"; }).sort();
    const today = document.querySelector(".day.today");
    if (zone === stationZone && served.join() === due.join() && (!today || today.dataset.date === wall(t, zone).date)) {
      shown = key(st, t);
    } else {
      render(true);
    }
    setInterval(render, 15000);
    document.addEventListener("visibilitychange", function () { if (!document.hidden) render(); });
  }

  // Copy buttons copy the value of the input they name.
  document.querySelectorAll("[data-copy]").forEach(function (button) {
    const input = document.getElementById(button.dataset.copy);
    const status = button.closest("p").querySelector(".copied");
    button.hidden = false;
    button.addEventListener("click", function () {
      function done(ok) { if (status) status.textContent = ok ? "Copied the feed's address." : "Select the address and copy it."; }
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(input.value).then(function () { done(true); }, function () {
          input.select();
          done(document.execCommand("copy"));
        });
      } else {
        input.select();
        done(document.execCommand("copy"));
      }
    });
  });
})();
