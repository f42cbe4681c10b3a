/* The atlas's additions to Decap CMS at /admin/ (loaded after decap-cms.js, before Decap reads
   its config, so the backends are wrapped before the first one is created).

   1. An offer's translation `<slug>.<lang>.md` lies beside the German `<slug>.md`. Decap lists a
      folder by file extension only, so the German list would show the translations too: every
      backend's listing drops files whose name holds a second dot when the collection's
      extension is plain "md" (slugs have no dots).
   2. A translation's collection (`offers_<lang>`) has a field `offer` that picks the German
      record and so gives the file its name; the record format has no such field, so it is
      removed from what is written and put back (from the file name) when a file is read.
   3. The cost widget: "free", or {amount, note} (Decap has no widget for "a word or a group").
   4. Under `atlas serve --edit` (data-atlas-local on this script) there is no login. */
(function () {
  "use strict";
  var CMS = window.CMS;
  var script = document.currentScript;
  var TRANSLATION = /^(.*\/)?([a-z0-9]+(?:-[a-z0-9]+)*)\.([a-z]{2})\.md$/;

  function isTranslationPath(path) {
    return TRANSLATION.test(path || "");
  }

  function withOffer(entry) {
    var found = entry && entry.file && TRANSLATION.exec(entry.file.path || "");
    if (!found || typeof entry.data !== "string" || entry.data.indexOf("---\n") !== 0) return entry;
    return Object.assign({}, entry, { data: "---\noffer: " + found[2] + "\n" + entry.data.slice(4) });
  }

  function withoutOffer(raw) {
    if (typeof raw !== "string") return raw;
    var end = raw.indexOf("\n---", 3);
    if (end < 0) return raw;
    var head = raw.slice(0, end).replace(/^offer: .*\n?/m, "");
    return head + raw.slice(end);
  }

  function listing(entries, extension) {
    var list = entries.filter(function (e) {
      return extension !== "md" || !isTranslationPath(e.file && e.file.path);
    });
    return list.map(withOffer);
  }

  function wrap(impl) {
    var original = {};
    ["entriesByFolder", "allEntriesByFolder", "entriesByFiles", "getEntry", "persistEntry",
      "unpublishedEntryDataFile"].forEach(function (name) {
      original[name] = impl[name] && impl[name].bind(impl);
    });
    if (original.entriesByFolder) {
      impl.entriesByFolder = function (folder, extension, depth) {
        return original.entriesByFolder(folder, extension, depth).then(function (entries) {
          var result = listing(entries, extension);
          Object.getOwnPropertySymbols(entries).forEach(function (s) { result[s] = entries[s]; }); // the cursor
          return result;
        });
      };
    }
    if (original.allEntriesByFolder) {
      impl.allEntriesByFolder = function (folder, extension, depth, pathRegex) {
        return original.allEntriesByFolder(folder, extension, depth, pathRegex).then(function (entries) {
          return listing(entries, extension);
        });
      };
    }
    if (original.entriesByFiles) {
      impl.entriesByFiles = function (files) {
        return original.entriesByFiles(files).then(function (entries) { return entries.map(withOffer); });
      };
    }
    if (original.getEntry) {
      impl.getEntry = function (path) { return original.getEntry(path).then(withOffer); };
    }
    if (original.unpublishedEntryDataFile) {
      impl.unpublishedEntryDataFile = function (collection, slug, path, id) {
        return original.unpublishedEntryDataFile(collection, slug, path, id).then(function (data) {
          return withOffer({ data: data, file: { path: path } }).data;
        });
      };
    }
    if (original.persistEntry) {
      impl.persistEntry = function (entry, options) {
        var files = (entry.dataFiles || []).map(function (file) {
          return isTranslationPath(file.path) ? Object.assign({}, file, { raw: withoutOffer(file.raw) }) : file;
        });
        return original.persistEntry(Object.assign({}, entry, { dataFiles: files }), options);
      };
    }
    return impl;
  }

  ["proxy", "gitea", "forgejo", "gitlab", "github"].forEach(function (name) {
    var backend = CMS.getBackend(name);
    if (!backend) return;
    var init = backend.init;
    backend.init = function () { return wrap(init.apply(null, arguments)); };
  });

  /* the cost: a choice of three, and for "kostenpflichtig" the amount and a note */
  var h = window.h;
  var CostControl = window.createClass({
    value: function () {
      var v = this.props.value;
      return v && typeof v.toJS === "function" ? v.toJS() : v;
    },
    set: function (kind, amount, note) {
      var free = this.props.field.get("free");
      if (kind === "free") this.props.onChange(free);
      else if (kind === "none") this.props.onChange(null);
      else this.props.onChange({ amount: amount, note: note });
    },
    render: function () {
      var self = this;
      var field = this.props.field;
      var id = this.props.forID;
      var v = this.value();
      var free = field.get("free");
      var kind = v === free ? "free" : v && typeof v === "object" ? "paid" : "none";
      var group = kind === "paid" ? v : { amount: "", note: "" };
      var subs = field.get("parts").toJS();
      function radio(value, text) {
        return h("label", { key: value, className: "atlas-cost-choice" },
          h("input", {
            type: "radio", name: id + "-kind", value: value, checked: kind === value,
            onChange: function () { self.set(value, group.amount || "", group.note || ""); }
          }), " ", text);
      }
      function input(sub) {
        return h("label", { key: sub.name, className: "atlas-cost-field" }, sub.label,
          h("input", {
            type: "text", id: id + "-" + sub.name, className: self.props.classNameWrapper,
            value: group[sub.name] || "",
            onChange: function (event) {
              var next = Object.assign({}, group);
              next[sub.name] = event.target.value;
              self.set("paid", next.amount || "", next.note || "");
            }
          }));
      }
      return h("div", { id: id, role: "radiogroup" },
        radio("none", "keine Angabe"), radio("free", "kostenlos"), radio("paid", "kostenpflichtig"),
        kind === "paid" ? subs.map(input) : null);
    }
  });
  CMS.registerWidget("atlas-cost", CostControl);

  if (script && script.hasAttribute("data-atlas-local")) {
    // the local API needs no login: Decap restores this "user" instead of showing its login page
    window.localStorage.setItem("decap-cms-user", JSON.stringify({ backendName: "proxy" }));
  }
})();
