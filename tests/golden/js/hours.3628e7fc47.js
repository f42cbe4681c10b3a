/* Integrationsatlas opening hours: pure functions over an offer's weekly hours, its valid range
   and the atlas's clock ({zone, holidays}) that the build writes (atlas/nearnow.py). Used by the
   search worker (geoeffnet=jetzt, tag=…) and, at the end, by an offer page ("jetzt geöffnet").
   Times are wall-clock times in the atlas's time zone, read with Intl.DateTimeFormat. */
/* exported atlasHours */
var atlasHours = (function () {
  "use strict";
  var DAYS = ["mo", "di", "mi", "do", "fr", "sa", "so"];
  var formats = {}; // one formatter per zone: making one costs more than using it

  function minutes(clock) {
    var parts = clock.split(":");
    return Number(parts[0]) * 60 + Number(parts[1]);
  }

  /* The day (mo…so) of an ISO date, whatever the browser's own zone. */
  function weekday(date) {
    return DAYS[(new Date(date + "T00:00:00Z").getUTCDay() + 6) % 7];
  }

  function addDays(date, n) {
    var day = new Date(date + "T00:00:00Z");
    day.setUTCDate(day.getUTCDate() + n);
    return day.toISOString().slice(0, 10);
  }

  /* The wall clock in `zone` at the instant `ms`: {date: "YYYY-MM-DD", day: "di", minutes: 600}. */
  function localNow(ms, zone) {
    if (!formats[zone]) {
      formats[zone] = new Intl.DateTimeFormat("en-US", { timeZone: zone, year: "numeric", month: "2-digit",
        day: "2-digit", hour: "2-digit", minute: "2-digit", hourCycle: "h23" });
    }
    var parts = {};
    formats[zone].formatToParts(new Date(ms)).forEach(function (part) { parts[part.type] = part.value; });
    var date = parts.year + "-" + parts.month + "-" + parts.day;
    return { date: date, day: weekday(date), minutes: (Number(parts.hour) % 24) * 60 + Number(parts.minute) };
  }

  /* Is the offer running on that date (valid: [from, until], ISO dates or null)? */
  function running(offer, date) {
    var valid = offer.valid;
    return !valid || ((!valid[0] || valid[0] <= date) && (!valid[1] || date <= valid[1]));
  }

  function closed(offer, holidays, date) {
    return !running(offer, date) || holidays.indexOf(date) >= 0;
  }

  /* The hours entry open at `now`, or null (hours: [[days, opens, closes], …]). */
  function openEntry(offer, holidays, now) {
    if (!offer.hours || closed(offer, holidays, now.date)) { return null; }
    return offer.hours.filter(function (entry) {
      return entry[0].indexOf(now.day) >= 0 && minutes(entry[1]) <= now.minutes && now.minutes < minutes(entry[2]);
    }).sort(function (a, b) { return minutes(b[2]) - minutes(a[2]); })[0] || null;
  }

  /* Is it open on one of these days of the week (and running at all from today on)? */
  function opensOn(offer, days, today) {
    if (!offer.hours || (offer.valid && offer.valid[1] && offer.valid[1] < today)) { return false; }
    return offer.hours.some(function (entry) {
      return days.some(function (day) { return entry[0].indexOf(day) >= 0; });
    });
  }

  /* The next opening after `now` within two weeks: {date, day, opens, today}, or null. */
  function nextOpening(offer, holidays, now) {
    for (var i = 0; i < 14 && offer.hours; i++) {
      var date = addDays(now.date, i), day = weekday(date);
      if (closed(offer, holidays, date)) { continue; }
      var opens = offer.hours.filter(function (entry) {
        return entry[0].indexOf(day) >= 0 && (i > 0 || minutes(entry[1]) > now.minutes);
      }).map(function (entry) { return entry[1]; }).sort()[0];
      if (opens) { return { date: date, day: day, opens: opens, today: i === 0 }; }
    }
    return null;
  }

  /* How an offer fares under the time filters {jetzt, tage}: "yes", "no", or "unknown" (no fixed
     hours: by appointment or not given; the page counts these instead of hiding them silently). */
  function judge(offer, wanted, clock, now) {
    if (!wanted.jetzt && !wanted.tage.length) { return "yes"; }
    if (!offer.hours) { return running(offer, now.date) ? "unknown" : "no"; }
    if (wanted.jetzt && !openEntry(offer, clock.holidays, now)) { return "no"; }
    if (wanted.tage.length && !opensOn(offer, wanted.tage, now.date)) { return "no"; }
    return "yes";
  }

  /* Items under the time filters: {items: those kept, unknown: those without fixed hours}. The
     latter are kept only when wanted.ohne; wanted.now is the instant (ms) the page asks about. */
  function narrow(items, offerOf, wanted, clock) {
    if (!clock || (!wanted.jetzt && !wanted.tage.length)) { return { items: items, unknown: [] }; }
    var now = localNow(wanted.now, clock.zone), unknown = [];
    var kept = items.filter(function (item) {
      var verdict = judge(offerOf(item), wanted, clock, now);
      if (verdict === "unknown") { unknown.push(item); }
      return verdict === "yes" || (verdict === "unknown" && wanted.ohne);
    });
    return { items: kept, unknown: unknown };
  }

  /* The short name of a day in `lang` (2026-01-05 was a Monday). */
  function dayName(day, lang) {
    var date = new Date(Date.UTC(2026, 0, 5 + DAYS.indexOf(day)));
    return new Intl.DateTimeFormat(lang, { weekday: "short", timeZone: "UTC" }).format(date);
  }

  /* What an offer page says about now, or "" when its hours do not tell. */
  function describe(offer, clock, now, texts, lang) {
    var fill = function (template, values) {
      return template.replace(/%\((\w+)\)s/g, function (all, name) { return values[name]; });
    };
    var open = openEntry(offer, clock.holidays, now);
    if (open) { return fill(texts.openNow, { time: open[2] }); }
    var next = nextOpening(offer, clock.holidays, now);
    if (!next) { return ""; }
    return next.today ? fill(texts.opensToday, { time: next.opens })
                      : fill(texts.opensOn, { day: dayName(next.day, lang), time: next.opens });
  }

  return { DAYS: DAYS, localNow: localNow, weekday: weekday, addDays: addDays, running: running,
           openEntry: openEntry, opensOn: opensOn, nextOpening: nextOpening, judge: judge, narrow: narrow,
           dayName: dayName, describe: describe };
})();

/* An offer page: its own data say whether it is open now (the table of hours stays as it is). */
if (typeof document !== "undefined") {
  document.querySelectorAll("[data-atlas-open]").forEach(function (element) {
    "use strict";
    var data = JSON.parse(element.getAttribute("data-atlas-open"));
    var texts = JSON.parse(element.getAttribute("data-texts"));
    var now = atlasHours.localNow(Date.now(), data.zone);
    var said = atlasHours.describe(data, data, now, texts, document.documentElement.lang);
    if (said) {
      element.textContent = said;
      element.classList.toggle("is-open", Boolean(atlasHours.openEntry(data, data.holidays, now)));
      element.hidden = false;
    }
  });
}
