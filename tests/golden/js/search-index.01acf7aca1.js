/* Integrationsatlas search index in the browser: the entry file, the shards a query's words need
   and the pages of documents the results shown need, each loaded once (content-hashed names, so
   the browser keeps them); lunr's clause model over the index's own term list, scored with the
   BM25 weights the build computed. atlas/ranking.py does the very same in Python, in the same
   order of floating-point operations, so that both rank alike to the last tie.
   Clauses as search-pipeline.js gives them: {term, boost, wildcard, editDistance, presence}. */
(function (global) {
  "use strict";

  var FORMAT = 2;
  var TRAILING = 2; // lunr.Query.wildcard.TRAILING
  var OPTIONAL = 1, REQUIRED = 2, PROHIBITED = 3; // lunr.Query.presence
  var SCALE = 1000000; // scores compared to six decimals, as atlas/ranking.py compares them
  var ASTRAL = /[\ud800-\udfff]/;

  function chars(word) { return ASTRAL.test(word) ? Array.from(word) : word; } // code points, as Python counts

  function fetchJson(url, response) {
    return (response || fetch(url)).then(function (response) {
      if (!response.ok) { throw new Error(url + ": " + response.status); }
      return response.json();
    });
  }

  /* The entry file (`response`: its fetch, if under way): term list, shard starts, filter data,
     pipeline data, the parts' hash. */
  function open(url, response) {
    return fetchJson(url, response).then(function (entry) {
      if (entry.version !== FORMAT) { throw new Error("search index format " + entry.version); }
      var terms = unfront(entry.terms), byLength = new Map();
      terms.forEach(function (term, number) {
        var n = chars(term).length;
        if (!byLength.has(n)) { byLength.set(n, []); }
        byLength.get(n).push(number);
      });
      return {
        url: url, entry: entry, terms: terms, points: terms.map(chars), count: entry.count, byLength: byLength,
        starts: entry.shards,
        postings: new Map(), // term number -> per field [gap, weight, gap, weight, …] or 0
        shards: new Map(), pages: new Map(), // number -> Promise while loading, then done
        loadedPages: new Set(), // the numbers of the document pages that are here
        filters: rows({}, entry.count), later: null // one object per offer, for what loads later
      };
    });
  }

  /* The sorted terms from the front-coded list: per line the letters shared with the term before
     (a character, "0" + n, in code points) and the rest (atlas/search.py: front_coded). */
  function unfront(coded) {
    var terms = [], previous = "";
    coded.split("\n").forEach(function (line) {
      var shared = line.charCodeAt(0) - 48;
      var head = ASTRAL.test(previous) ? Array.from(previous).slice(0, shared).join("") : previous.slice(0, shared);
      previous = head + line.slice(1);
      terms.push(previous);
    });
    return coded ? terms : [];
  }

  /* A part's name, as the entry implies it (atlas/search.py: part_name). */
  function partName(index, kind, number) {
    return new URL(kind + (number === null ? "" : "-" + number) + "." + index.entry.parts + ".json", index.url).href;
  }

  /* The filter data only "near me" and "open now" read (atlas/search.py: LATER), added to the rows. */
  function later(index) {
    if (!index.later) {
      index.later = fetchJson(partName(index, "filters", null)).then(function (columns) {
        rows(columns, index.count).forEach(function (row, ref) { Object.assign(index.filters[ref], row); });
      });
    }
    return index.later;
  }

  /* The filter data by column (atlas/search.py: columns) back to one dict per offer. */
  function rows(columns, count) {
    var found = [];
    for (var i = 0; i < count; i++) { found.push({}); }
    Object.keys(columns).forEach(function (key) {
      var column = columns[key];
      found.forEach(function (row, i) {
        if (column.values) {
          row[key] = column.lists[i].map(function (n) { return column.values[n]; });
        } else if (column.raw[i] !== null) {
          row[key] = column.raw[i];
        }
      });
    });
    return found;
  }

  function shardOf(index, number) { // the last shard starting at or before the term
    var low = 0, high = index.starts.length - 1;
    while (low < high) {
      var middle = (low + high + 1) >> 1;
      if (index.starts[middle] <= number) { low = middle; } else { high = middle - 1; }
    }
    return low;
  }

  function loadShard(index, shard) {
    if (!index.shards.has(shard)) {
      index.shards.set(shard, fetchJson(partName(index, "index", shard)).then(function (part) {
        var first = index.starts[shard];
        part.forEach(function (perField, i) { index.postings.set(first + i, perField); });
      }));
    }
    return index.shards.get(shard);
  }

  /* Whether `word` (or with prefix a start of it) is at most `edits` insertions, deletions,
     substitutions or swaps of neighbours from `query`: atlas/ranking.py: within, line by line. */
  function within(query, word, edits, prefix) {
    var n = query.length, m = word.length, big = edits + 1, i, j;
    if (!prefix && Math.abs(n - m) > edits) { return false; }
    if (edits === 1 && !prefix) { return oneEdit(query, word); }
    var before = [], row = [];
    for (j = 0; j <= m; j++) { row.push(j <= edits ? j : big); }
    for (i = 1; i <= n; i++) {
      var current = [i <= edits ? i : big];
      for (j = 1; j <= m; j++) { current.push(big); }
      for (j = Math.max(1, i - edits); j <= Math.min(m, i + edits); j++) {
        var cost = query[i - 1] === word[j - 1] ? 0 : 1;
        var best = Math.min(row[j] + 1, current[j - 1] + 1, row[j - 1] + cost);
        if (i > 1 && j > 1 && query[i - 1] === word[j - 2] && query[i - 2] === word[j - 1]) {
          best = Math.min(best, before[j - 2] + 1);
        }
        current[j] = Math.min(best, big);
      }
      before = row; row = current;
    }
    if (prefix) {
      var least = big;
      for (j = Math.max(0, n - edits); j <= Math.min(m, n + edits); j++) { least = Math.min(least, row[j]); }
      return least <= edits;
    }
    return row[m] <= edits;
  }

  /* within(query, word, 1) without the table: past the common start, the rest is equal after one
     substitution, swap, insertion or deletion (atlas/ranking.py: _one_edit). Strings or arrays. */
  function oneEdit(query, word) {
    var n = query.length, m = word.length, i = 0;
    while (i < n && i < m && query[i] === word[i]) { i++; }
    if (n === m) {
      return i === n || sameFrom(query, i + 1, word, i + 1) ||
        (i + 1 < n && query[i] === word[i + 1] && query[i + 1] === word[i] && sameFrom(query, i + 2, word, i + 2));
    }
    return n > m ? sameFrom(query, i + 1, word, i) : sameFrom(query, i, word, i + 1);
  }

  function sameFrom(a, i, b, j) {
    if (a.length - i !== b.length - j) { return false; }
    for (; i < a.length; i++, j++) { if (a[i] !== b[j]) { return false; } }
    return true;
  }

  /* The numbers of the index terms a clause's term stands for, ascending (= Python's sorted terms). */
  function expand(index, term, wildcard, edits) {
    var prefix = Boolean(wildcard & TRAILING), found = [], number;
    if (!edits) {
      var low = 0, high = index.terms.length;
      while (low < high) { var mid = (low + high) >> 1; if (index.terms[mid] < term) { low = mid + 1; } else { high = mid; } }
      for (number = low; number < index.terms.length && index.terms[number].indexOf(term) === 0; number++) {
        if (prefix || index.terms[number] === term) { found.push(number); }
        if (!prefix) { break; }
      }
      return found;
    }
    var query = chars(term), longest = query.length + edits;
    if (prefix) { index.byLength.forEach(function (_, n) { longest = Math.max(longest, n); }); }
    for (var n = Math.max(query.length - edits, 0); n <= longest; n++) {
      (index.byLength.get(n) || []).forEach(function (candidate) {
        if (within(query, index.points[candidate], edits, prefix)) { found.push(candidate); }
      });
    }
    return found.sort(function (a, b) { return a - b; });
  }

  /* What each clause expands to, and the shards that hold those terms, loaded. */
  function prepare(index, clauses) {
    var plan = clauses.map(function (clause) {
      return { clause: clause, expanded: [expand(index, clause.term, clause.wildcard || 0, clause.editDistance || 0)] };
    });
    var needed = new Set();
    plan.forEach(function (step) {
      step.expanded.forEach(function (numbers) { numbers.forEach(function (n) { needed.add(shardOf(index, n)); }); });
    });
    return Promise.all(Array.from(needed).map(function (shard) { return loadShard(index, shard); }))
      .then(function () { return plan; });
  }

  /* The refs that the planned clauses (all optional) match: those score() would rank. */
  function matching(index, plan) {
    var found = new Set();
    plan.forEach(function (step) {
      step.expanded.forEach(function (numbers) { numbers.forEach(function (n) { refsOf(index, n, found); }); });
    });
    return found;
  }

  function refsOf(index, number, into) {
    index.postings.get(number).forEach(function (flat) {
      for (var j = 0, ref = 0; flat && j < flat.length; j += 2) { ref += flat[j]; into.add(ref); }
    });
  }

  /* [{ref, score, terms}] as atlas/ranking.py: evaluate scores them (lunr's query model), in no particular
     order: atlasSearch.rank sorts them (by score, ties by ref, after the words matched), once. */
  function score(index, plan) {
    var boosts = new Map(), required = null, prohibited = new Set();
    for (var s = 0; s < plan.length; s++) {
      var clause = plan[s].clause, presence = clause.presence || OPTIONAL, matched = new Set();
      for (var t = 0; t < plan[s].expanded.length; t++) {
        var expanded = plan[s].expanded[t];
        if (!expanded.length && presence === REQUIRED) { return []; }
        expanded.forEach(function (number) {
          if (presence === OPTIONAL) { boosts.set(number, (boosts.get(number) || 0) + clause.boost); }
          else { refsOf(index, number, matched); }
        });
      }
      if (presence === PROHIBITED) { matched.forEach(function (ref) { prohibited.add(ref); }); }
      else if (presence === REQUIRED) {
        required = required === null ? matched : new Set(Array.from(required).filter(function (ref) { return matched.has(ref); }));
      }
    }
    return scored(index, boosts, required, prohibited);
  }

  function scored(index, boosts, required, prohibited) {
    var order = Array.from(boosts.keys()).sort(function (a, b) { return a - b; });
    var squares = 0;
    order.forEach(function (number) { var boost = boosts.get(number); squares += boost * boost; });
    // per offer, by number: the sum (added in the same order as Python adds, so the same floats)
    var length = Math.sqrt(squares), sums = new Float64Array(index.count), terms = new Array(index.count), hit = [];
    order.forEach(function (number) {
      var boost = boosts.get(number), term = index.terms[number];
      index.postings.get(number).forEach(function (flat) {
        for (var j = 0, ref = 0; flat && j < flat.length; j += 2) {
          ref += flat[j];
          if ((required !== null && !required.has(ref)) || prohibited.has(ref)) { continue; }
          sums[ref] += boost * flat[j + 1];
          var found = terms[ref];
          if (!found) { terms[ref] = [term]; hit.push(ref); }
          else if (found[found.length - 1] !== term) { found.push(term); }
        }
      });
    });
    return hit.map(function (ref) {
      return { ref: ref, score: Math.floor(sums[ref] / 1000 / length * SCALE + 0.5), terms: terms[ref] };
    });
  }

  function pagesOf(index, refs) {
    var size = index.entry.pageSize;
    return Array.from(new Set(refs.map(function (ref) { return Math.floor(ref / size); })));
  }

  /* The documents of these refs (url, title, summary, actor, places, lang), their pages loaded
     (requested in the order of the refs: the first results' pages first). */
  function documents(index, refs) {
    var size = index.entry.pageSize;
    return Promise.all(pagesOf(index, refs).map(function (page) {
      if (!index.pages.has(page)) {
        index.pages.set(page, fetchJson(partName(index, "docs", page)).then(function (docs) {
          index.loadedPages.add(page);
          return docs;
        }));
      }
      return index.pages.get(page);
    })).then(function () {
      return Promise.all(refs.map(function (ref) {
        return index.pages.get(Math.floor(ref / size)).then(function (docs) { return docs[ref % size]; });
      }));
    });
  }

  /* Whether the documents of these refs are here already (no fetch to wait for). */
  function loaded(index, refs) {
    return pagesOf(index, refs).every(function (page) { return index.loadedPages.has(page); });
  }

  global.atlasIndex = { open: open, prepare: prepare, score: score, documents: documents, loaded: loaded, within: within,
                        expand: expand, rows: rows, later: later, matching: matching };
})(self);
