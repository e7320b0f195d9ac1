// Windlass console: small progressive enhancements. Every page works without this file.
(function () {
  "use strict";

  // Show only the fields the chosen auth type and cluster type use (all are shown without JavaScript).
  function syncConditionalFields(form) {
    var auth = form.querySelector("#authType");
    var type = form.querySelector("#type");
    form.querySelectorAll("[data-auth]").forEach(function (group) {
      var wanted = group.getAttribute("data-auth").split(" ");
      group.hidden = auth !== null && wanted.indexOf(auth.value) < 0;
    });
    form.querySelectorAll("[data-type]").forEach(function (group) {
      group.hidden = type !== null && group.getAttribute("data-type") !== type.value;
    });
  }

  function enhanceOrchestratorForm() {
    var form = document.getElementById("orchestrator-form");
    if (!form) {
      return;
    }
    syncConditionalFields(form);
    form.addEventListener("change", function (event) {
      if (event.target.id === "authType" || event.target.id === "type") {
        syncConditionalFields(form);
      }
    });
  }

  // "2026-11-22 03:21:49 UTC", as the server renders times.
  function readable(iso) {
    var date = iso ? new Date(iso) : null;
    return date && !isNaN(date) ? date.toISOString().slice(0, 19).replace("T", " ") + " UTC" : iso || "";
  }

  // Live phases of a deployment over server-sent events (proxied from the deployer by the gateway).
  function followPhases() {
    var list = document.getElementById("phases");
    if (!list || !list.dataset.events || !window.EventSource) {
      return;
    }
    var phase = document.getElementById("phase");
    var revision = document.getElementById("revision");
    var message = document.getElementById("phase-message");
    var seen = {};
    list.querySelectorAll("li[data-key]").forEach(function (item) {
      seen[item.dataset.key] = true;
    });
    var finals = ["SUCCEEDED", "FAILED", "SUPERSEDED", "DELETED"];
    var source = new EventSource(list.dataset.events);
    source.onmessage = function (event) {
      var data;
      try {
        data = JSON.parse(event.data);
      } catch (e) {
        return;
      }
      var key = data.phase + "|" + data.occurredAt;
      if (!seen[key]) {
        seen[key] = true;
        var item = document.createElement("li");
        item.dataset.key = key;
        var badge = document.createElement("span");
        badge.className = "phase phase-" + data.phase;
        badge.textContent = data.phase;
        var time = document.createElement("time");
        time.dateTime = data.occurredAt || "";
        time.textContent = readable(data.occurredAt);
        var text = document.createElement("span");
        text.textContent = data.message || "";
        item.append(badge, " ", time, " ", text);
        list.appendChild(item);
      }
      if (phase) {
        phase.textContent = data.phase;
        phase.className = "phase phase-" + data.phase;
      }
      if (message) {
        message.textContent = data.message || "";
      }
      if (revision && data.revision) {
        revision.textContent = data.revision;
      }
      if (finals.indexOf(data.phase) >= 0) {
        source.close();
      }
    };
    source.onerror = function () {
      if (phase && finals.indexOf(phase.textContent) >= 0) {
        source.close();
      }
    };
  }

  // An app's live status: each status event from the deployer (sent when the app's objects change in the cluster)
  // brings the server-rendered section again. data-updates counts the swaps.
  function followStatus() {
    var section = document.getElementById("live-status");
    if (!section || !section.dataset.events || !section.dataset.fragment || !window.EventSource || !window.fetch) {
      return;
    }
    var updates = 0;
    var latest = 0;
    var source = new EventSource(section.dataset.events);
    source.onmessage = function () {
      var asked = ++latest;
      fetch(section.dataset.fragment, { credentials: "same-origin", headers: { Accept: "text/html" } })
        .then(function (response) {
          return response.ok ? response.text() : null;
        })
        .then(function (html) {
          if (html !== null && asked === latest) {
            section.innerHTML = html;
            section.dataset.updates = String(++updates);
          }
        })
        .catch(function () {});
    };
    window.addEventListener("pagehide", function () {
      source.close();
    });
  }

  // Orchestrator changes as they are committed (server-sent events from the registry): each element with
  // data-changes brings its server-rendered fragment again when a change concerns it (any orchestrator, or the one
  // named by data-orchestrator; RESYNC concerns all). An orchestrator deleted meanwhile says so. data-updates counts
  // the swaps.
  function followChanges() {
    var sections = document.querySelectorAll("[data-changes][data-fragment]");
    if (!sections.length || !window.EventSource || !window.fetch) {
      return;
    }
    var source = new EventSource(sections[0].dataset.changes);
    var latest = new Map();
    function refresh(section) {
      var asked = (latest.get(section) || 0) + 1;
      latest.set(section, asked);
      fetch(section.dataset.fragment, { credentials: "same-origin", headers: { Accept: "text/html" } })
        .then(function (response) {
          if (response.status === 404) {
            return '<p class="warning-box" role="alert" id="gone">This orchestrator no longer exists.</p>';
          }
          return response.ok ? response.text() : null;
        })
        .then(function (html) {
          if (html !== null && asked === latest.get(section)) {
            section.innerHTML = html;
            section.dataset.updates = String(Number(section.dataset.updates || 0) + 1);
          }
        })
        .catch(function () {});
    }
    source.onmessage = function (event) {
      var change;
      try {
        change = JSON.parse(event.data);
      } catch (e) {
        return;
      }
      sections.forEach(function (section) {
        var only = section.dataset.orchestrator;
        if (!only || change.change === "RESYNC" || change.orchestratorId === only) {
          refresh(section);
        }
      });
    };
    window.addEventListener("pagehide", function () {
      source.close();
    });
  }

  // A container's log: "Follow" appends each line the container writes from now on (server-sent events from the
  // deployer, secret values already masked there); pressed again, it stops.
  function followLog() {
    var button = document.getElementById("follow-log");
    var log = document.getElementById("log");
    if (!button || !log || !button.dataset.events || !window.EventSource) {
      return;
    }
    button.hidden = false;
    var source = null;
    function stop() {
      if (source) {
        source.close();
        source = null;
      }
      button.textContent = "Follow";
      button.setAttribute("aria-pressed", "false");
    }
    button.setAttribute("aria-pressed", "false");
    button.addEventListener("click", function () {
      if (source) {
        stop();
        return;
      }
      source = new EventSource(button.dataset.events);
      button.textContent = "Stop following";
      button.setAttribute("aria-pressed", "true");
      source.onmessage = function (event) {
        log.appendChild(document.createTextNode(event.data + "\n"));
        log.scrollTop = log.scrollHeight;
      };
      source.onerror = function () {
        if (source && source.readyState === EventSource.CLOSED) {
          stop();
        }
      };
    });
    window.addEventListener("pagehide", stop);
  }

  document.addEventListener("DOMContentLoaded", function () {
    enhanceOrchestratorForm();
    followPhases();
    followStatus();
    followChanges();
    followLog();
  });
})();
