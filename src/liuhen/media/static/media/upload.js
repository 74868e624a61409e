// The upload page (R15.1) and the third-party material page (R17.1): resumable uploads to
// the tus 1.0.0 endpoint with tus-js-client. Configuration comes from data- attributes of
// [data-uploader], the words from the #upload-messages JSON block (strict CSP: no inline
// script). Every chosen file gets a card from #upload-item-template with its own fields,
// progress bar, speed, Pause / Resume / Cancel.
//
// Resuming: tus-js-client keeps each upload's URL in localStorage under a fingerprint of
// the file (name, type, size, last modified) and the user; choosing the same file again —
// after a reload, a crash or a closed tab — asks the server for its offset (HEAD) and
// sends only the rest.
(function () {
  "use strict";

  const root = document.querySelector("[data-uploader]");
  const template = document.getElementById("upload-item-template");
  const messagesNode = document.getElementById("upload-messages");
  if (!root || !template || !messagesNode) return;
  const msg = JSON.parse(messagesNode.textContent);
  const cfg = {
    endpoint: root.dataset.endpoint,
    csrf: root.dataset.csrf,
    user: root.dataset.user || "",
    source: root.dataset.source,
    chunkSize: parseInt(root.dataset.chunkSize, 10),
    retryDelays: root.dataset.retryDelays.split(",").map(Number),
    recordPrefix: root.dataset.recordPrefix,
    captureTolerance: root.dataset.captureTolerance,
  };
  // A tablet or recorder clock may be a little ahead (the server allows the same).
  const CLOCK_SLACK_MS = 10 * 60 * 1000;
  const MB = 1024 * 1024;

  const tus = window.tus;
  if (!tus || !tus.isSupported) {
    const warning = document.querySelector("[data-unsupported]");
    if (warning) {
      warning.textContent = msg.not_supported;
      warning.hidden = false;
    }
    root.hidden = true;
    return;
  }

  const fileInput = root.querySelector("[data-files]");
  const list = root.querySelector("[data-items]");
  const startAllButton = root.querySelector("[data-start-all]");
  const items = [];
  const queue = [];
  let counter = 0;

  // --- small helpers -------------------------------------------------------------------

  function interpolate(text, values) {
    return text.replace(/%\((\w+)\)s/g, (_m, key) => String(values[key]));
  }

  function pad(n) {
    return String(n).padStart(2, "0");
  }

  function toLocalInput(date) {
    return (
      `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}` +
      `T${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`
    );
  }

  // "2024-05-01T09:30:00" (the browser's local time) → "2024-05-01T09:30:00+08:00".
  function toIsoWithOffset(value) {
    const date = new Date(value);
    if (Number.isNaN(date.getTime())) return null;
    const offset = -date.getTimezoneOffset();
    const sign = offset >= 0 ? "+" : "-";
    const abs = Math.abs(offset);
    return `${toLocalInput(date)}${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
  }

  function formatSize(bytes) {
    return `${(bytes / MB).toFixed(1)} MB`;
  }

  function show(node, visible) {
    if (node) node.hidden = !visible;
  }

  // The fingerprint names the user too: a shared tablet does not offer one officer's
  // interrupted upload to the next.
  function fingerprint(file, options) {
    return Promise.resolve(
      ["liuhen", cfg.user, file.name, file.type, file.size, file.lastModified, options.endpoint].join("-"),
    );
  }

  function storageBelongsHere(key) {
    return key.indexOf(`tus::liuhen-${cfg.user}-`) === 0;
  }

  // --- one file ------------------------------------------------------------------------

  function part(item, name) {
    return item.node.querySelector(`[data-${name}]`);
  }

  function fields(item) {
    return Array.from(item.node.querySelectorAll("[data-field]"));
  }

  function setState(item, state) {
    item.state = state;
    item.node.dataset.state = state;
    const buttons = {
      start: state === "pending",
      pause: state === "uploading" || state === "offline",
      resume: state === "paused" || state === "failed",
      cancel: ["uploading", "offline", "paused", "failed"].includes(state),
      remove: ["pending", "done", "cancelled"].includes(state),
    };
    Object.entries(buttons).forEach(([action, visible]) => {
      show(item.node.querySelector(`[data-action="${action}"]`), visible);
    });
    fields(item).forEach((el) => {
      el.disabled = state !== "pending" || item.previous != null;
    });
    updateStartAll();
  }

  function setStatus(item, text) {
    part(item, "status").textContent = text || "";
  }

  function setError(item, text) {
    const box = part(item, "error");
    box.textContent = text || "";
    show(box, Boolean(text));
  }

  function clearFieldErrors(item) {
    item.node.querySelectorAll(".is-invalid").forEach((el) => el.classList.remove("is-invalid"));
    item.node.querySelectorAll("[data-field-error]").forEach((el) => el.remove());
  }

  function fieldError(el, text) {
    el.classList.add("is-invalid");
    const feedback = document.createElement("div");
    feedback.className = "invalid-feedback d-block";
    feedback.dataset.fieldError = el.dataset.field;
    feedback.dataset.testid = "upload-field-error";
    feedback.textContent = text;
    el.insertAdjacentElement("afterend", feedback);
  }

  function toggleLateText(item) {
    const reason = item.node.querySelector('[data-field="late_reason"]');
    const box = part(item, "late-text");
    if (reason && box) box.hidden = !reason.value;
  }

  // The metadata the endpoint reads (media/tus.py), or null with the problems marked.
  function collectMetadata(item) {
    clearFieldErrors(item);
    const metadata = { filename: item.file.name, source: cfg.source };
    if (item.file.type) metadata.filetype = item.file.type;
    let valid = true;
    fields(item).forEach((el) => {
      const name = el.dataset.field;
      let value = el.closest("[hidden]") ? "" : el.value.trim();
      if (!value) {
        if (el.hasAttribute("data-required")) {
          fieldError(el, name === "late_reason_text" ? msg.reason_text_required : msg.required);
          valid = false;
        }
        return;
      }
      if (el.type === "datetime-local") {
        const iso = toIsoWithOffset(value);
        if (!iso) {
          fieldError(el, msg.required);
          valid = false;
          return;
        }
        if (new Date(value).getTime() > Date.now() + CLOCK_SLACK_MS) {
          fieldError(el, msg.future);
          valid = false;
          return;
        }
        value = iso;
      }
      metadata[name] = value;
    });
    return valid ? metadata : null;
  }

  // An earlier upload of the same file: its fields are what the server already has.
  function offerPrevious(item, previous) {
    item.previous = previous;
    const metadata = previous.metadata || {};
    fields(item).forEach((el) => {
      const value = metadata[el.dataset.field] || "";
      if (el.type === "datetime-local") {
        const date = value ? new Date(value) : null;
        el.value = date && !Number.isNaN(date.getTime()) ? toLocalInput(date) : "";
      } else {
        el.value = value;
      }
    });
    toggleLateText(item);
    item.node.dataset.resumable = "true";
    setStatus(item, msg.resumable);
    setState(item, item.state);
  }

  function progress(item, sent, total) {
    const now = performance.now();
    if (!item.mark) item.mark = { time: now, bytes: sent };
    const elapsed = now - item.mark.time;
    if (elapsed >= 1000) {
      const rate = (sent - item.mark.bytes) / (elapsed / 1000);
      if (rate >= 0) item.speed = rate;
      item.mark = { time: now, bytes: sent };
    }
    const percent = total ? Math.floor((sent * 100) / total) : 100;
    const bar = part(item, "progress");
    bar.setAttribute("aria-valuenow", String(percent));
    part(item, "progress-bar").style.width = `${percent}%`;
    part(item, "percent").textContent = `${percent}% · ${formatSize(sent)} / ${formatSize(total)}`;
    part(item, "speed").textContent =
      item.speed != null ? interpolate(msg.speed, { speed: (item.speed / MB).toFixed(1) }) : "";
    item.node.dataset.sent = String(sent);
  }

  // The endpoint explains a refused upload in the body of its 4xx answer: plain text, or
  // the API's JSON {"error": {"code", "message", "details"}} (details: field → messages).
  function serverMessage(res) {
    const body = (res.getBody() || "").trim();
    if (!body || body.charAt(0) === "<") return "";
    let data;
    try {
      data = JSON.parse(body);
    } catch (_e) {
      return body.slice(0, 500);
    }
    const error = data && typeof data.error === "object" && data.error ? data.error : data || {};
    const texts = [];
    const walk = (value) => {
      if (typeof value === "string" && value && !texts.includes(value)) texts.push(value);
      else if (Array.isArray(value)) value.forEach(walk);
      else if (value && typeof value === "object") Object.values(value).forEach(walk);
    };
    walk(error.message || error.detail || "");
    walk(error.details || error.errors || "");
    return texts.join(" ").slice(0, 1000);
  }

  function finished(item) {
    const position = queue.indexOf(item);
    if (position >= 0) queue.splice(position, 1);
    pump();
  }

  function succeeded(item, response) {
    const header = response ? response.getHeader("Liuhen-Record") : null;
    const recordUrl = header || item.recordUrl;
    progress(item, item.file.size, item.file.size);
    setError(item, "");
    setStatus(item, msg.done);
    if (response) showCaptureTime(item, response);
    if (recordUrl && recordUrl.indexOf(cfg.recordPrefix) === 0) {
      const link = part(item, "record-link");
      link.href = recordUrl;
      link.textContent = msg.open_record;
      item.node.dataset.recordUrl = recordUrl;
    }
    show(part(item, "done"), true);
    item.upload = null;
    setState(item, "done");
    finished(item);
    // tus-js-client has just forgotten the finished upload (removeFingerprintOnSuccess).
    window.setTimeout(listUnfinished, 0);
  }

  // The record's capture time is the one written inside the file when it has one (the
  // field was only filled from the file's last-modified time): show it, and warn when
  // the time given lies further from it than the server allows.
  function showCaptureTime(item, response) {
    const captured = response.getHeader("Liuhen-Captured-At");
    const date = captured ? new Date(captured) : null;
    if (!date || Number.isNaN(date.getTime())) return;
    const input = item.node.querySelector('[data-field="captured_at"]');
    const given = input && input.value ? input.value.replace("T", " ") : "";
    const shown = toLocalInput(date).replace("T", " ");
    if (input) input.value = toLocalInput(date);
    part(item, "captured").textContent = interpolate(msg.captured_from_file, { time: shown });
    if (response.getHeader("Liuhen-Capture-Disagrees") === "1") {
      const box = part(item, "capture-warning");
      box.textContent = interpolate(msg.capture_disagrees, {
        file: shown,
        given: given,
        minutes: cfg.captureTolerance,
      });
      show(box, true);
    }
  }

  function failed(item, err) {
    const res = err.originalResponse || null;
    const status = res ? res.getStatus() : 0;
    if (!status && !navigator.onLine) {
      // No retry while offline (tus-js-client gives up at once): the "online" event
      // below starts it again.
      setStatus(item, msg.offline);
      setState(item, "offline");
      return;
    }
    let text;
    if (status === 403) text = msg.error_403;
    else if (status === 413) text = msg.error_413;
    else if (status >= 400 && status < 500) text = serverMessage(res) || msg.error;
    else if (status) text = interpolate(msg.error_status, { status: status });
    else text = msg.error_network;
    setError(item, text);
    setStatus(item, msg.error);
    item.node.dataset.errorStatus = String(status);
    if (status >= 400 && status < 500 && item.upload && !item.upload.url && !item.previous) {
      // Refused before it was created (e.g. a field): correct it and upload again.
      item.upload = null;
      setState(item, "pending");
    } else {
      setState(item, "failed");
    }
    finished(item);
  }

  function shouldRetry(item, err) {
    const res = err.originalResponse || null;
    const status = res ? res.getStatus() : 0;
    const clientError = status >= 400 && status < 500 && status !== 409 && status !== 423;
    const retry = !clientError && navigator.onLine;
    if (retry) setStatus(item, msg.retrying);
    return retry;
  }

  function makeUpload(item, metadata) {
    return new tus.Upload(item.file, {
      endpoint: cfg.endpoint,
      // See CHUNK_SIZE in media/upload_views.py: an interruption loses at most one chunk.
      chunkSize: cfg.chunkSize,
      retryDelays: cfg.retryDelays,
      metadata: metadata,
      headers: { "X-CSRFToken": cfg.csrf },
      fingerprint: fingerprint,
      removeFingerprintOnSuccess: true,
      onShouldRetry: (err) => shouldRetry(item, err),
      onAfterResponse: (req, res) => {
        const record = res.getHeader("Liuhen-Record");
        if (record) item.recordUrl = record;
        const offset = parseInt(res.getHeader("Upload-Offset"), 10);
        if (Number.isNaN(offset)) return;
        item.node.dataset.offset = String(offset);
        if (req.getMethod() === "HEAD") {
          // Resuming (after a reload, a pause or a network error): the server's offset.
          item.node.dataset.resumedFrom = String(offset);
          if (offset > 0) {
            part(item, "note").textContent = interpolate(msg.resumed, { size: formatSize(offset) });
          }
          item.mark = null;
        }
      },
      onProgress: (sent, total) => {
        if (item.state === "uploading" && part(item, "status").textContent !== msg.uploading) {
          setStatus(item, msg.uploading);
        }
        progress(item, sent, total);
      },
      onSuccess: (payload) => succeeded(item, payload && payload.lastResponse),
      onError: (err) => failed(item, err),
    });
  }

  function begin(item, metadata) {
    setError(item, "");
    show(part(item, "progress"), true);
    item.upload = makeUpload(item, metadata);
    if (item.previous) item.upload.resumeFromPreviousUpload(item.previous);
    item.mark = null;
    item.speed = null;
    setStatus(item, msg.uploading);
    setState(item, "uploading");
    item.upload.start();
  }

  function start(item) {
    if (item.state !== "pending") return false;
    const metadata = collectMetadata(item);
    if (!metadata) return false;
    begin(item, metadata);
    return true;
  }

  function pause(item) {
    if (!item.upload) return;
    item.upload.abort();
    item.speed = null;
    part(item, "speed").textContent = "";
    setStatus(item, msg.paused);
    setState(item, "paused");
    finished(item);
  }

  function resume(item) {
    if (!item.upload) return;
    setError(item, "");
    item.mark = null;
    setStatus(item, msg.uploading);
    setState(item, "uploading");
    item.upload.start();
  }

  function cancel(item) {
    if (!window.confirm(msg.confirm_cancel)) return;
    const upload = item.upload;
    item.upload = null;
    setStatus(item, msg.cancelled);
    setState(item, "cancelled");
    finished(item);
    // Termination: the server discards what it received (tus termination extension).
    if (upload) upload.abort(true).catch(() => {}).then(listUnfinished);
  }

  function remove(item) {
    items.splice(items.indexOf(item), 1);
    item.node.remove();
    updateStartAll();
  }

  function addFile(file) {
    counter += 1;
    const node = template.content.firstElementChild.cloneNode(true);
    const item = { file: file, node: node, state: "pending", upload: null, previous: null };
    part(item, "name").textContent = file.name;
    part(item, "size").textContent = formatSize(file.size);
    // Labels point at this card's inputs.
    fields(item).forEach((el) => {
      el.id = `upload-${counter}-${el.dataset.field}`;
      const label = node.querySelector(`[data-label-for="${el.dataset.field}"]`);
      if (label) label.htmlFor = el.id;
    });
    // A new card takes the choices of the one before (same recorder, same provider…).
    const last = items[items.length - 1];
    if (last) {
      fields(item).forEach((el) => {
        const before = last.node.querySelector(`[data-field="${el.dataset.field}"]`);
        const copied = el.hasAttribute("data-copy") || el.dataset.field === "device";
        if (before && copied) el.value = before.value;
      });
    }
    const captured = node.querySelector('[data-field="captured_at"]');
    if (captured && captured.hasAttribute("data-default-from-file") && file.lastModified) {
      captured.value = toLocalInput(new Date(file.lastModified));
    }
    toggleLateText(item);
    node.addEventListener("change", (event) => {
      if (event.target.dataset.field === "late_reason") toggleLateText(item);
    });
    node.addEventListener("click", (event) => {
      const button = event.target.closest("[data-action]");
      if (!button) return;
      const action = button.dataset.action;
      if (action === "start") start(item);
      else if (action === "pause") pause(item);
      else if (action === "resume") resume(item);
      else if (action === "cancel") cancel(item);
      else if (action === "remove") remove(item);
    });
    items.push(item);
    list.appendChild(node);
    setStatus(item, msg.pending);
    setState(item, "pending");
    // Is there an interrupted upload of this very file?
    new tus.Upload(file, { endpoint: cfg.endpoint, fingerprint: fingerprint })
      .findPreviousUploads()
      .then((previous) => {
        const usable = previous
          .filter((p) => p.uploadUrl && p.size === file.size)
          .sort((a, b) => Date.parse(b.creationTime) - Date.parse(a.creationTime));
        if (usable.length && item.state === "pending") offerPrevious(item, usable[0]);
      })
      .catch(() => {});
  }

  // "Upload all": one file after the other, so the first ones are finished early.
  function pump() {
    if (queue.some((item) => item.state === "uploading" || item.state === "offline")) return;
    while (queue.length) {
      const next = queue[0];
      if (next.state === "pending" && start(next)) return;
      queue.shift();
    }
  }

  function updateStartAll() {
    show(startAllButton, items.filter((item) => item.state === "pending").length > 1);
  }

  fileInput.addEventListener("change", () => {
    Array.from(fileInput.files).forEach(addFile);
    fileInput.value = "";
  });

  startAllButton.addEventListener("click", () => {
    items.forEach((item) => {
      if (item.state === "pending" && !queue.includes(item) && collectMetadata(item)) queue.push(item);
    });
    pump();
  });

  window.addEventListener("online", () => {
    items.forEach((item) => {
      if (item.state === "offline") resume(item);
    });
  });

  // Interrupted uploads of this user on this browser: choosing the file again continues them.
  function listUnfinished() {
    const box = root.querySelector("[data-unfinished]");
    const ul = root.querySelector("[data-unfinished-list]");
    const storage = tus.defaultOptions.urlStorage;
    storage.findAllUploads().then((entries) => {
      ul.textContent = "";
      const mine = entries.filter(
        (e) => storageBelongsHere(e.urlStorageKey) && e.uploadUrl && (e.metadata || {}).source === cfg.source,
      );
      mine.forEach((entry) => {
        const li = document.createElement("li");
        li.className = "d-flex flex-wrap align-items-center gap-2 mb-1";
        li.dataset.testid = "unfinished-upload";
        const name = document.createElement("span");
        name.className = "mono";
        name.textContent = `${(entry.metadata || {}).filename || "?"} (${formatSize(entry.size || 0)})`;
        const discard = document.createElement("button");
        discard.type = "button";
        discard.className = "btn btn-outline-danger btn-sm";
        discard.textContent = msg.discard;
        discard.addEventListener("click", () => {
          const fileName = (entry.metadata || {}).filename || "";
          if (!window.confirm(interpolate(msg.confirm_discard, { name: fileName }))) return;
          tus.Upload.terminate(entry.uploadUrl, { headers: { "X-CSRFToken": cfg.csrf } })
            .catch(() => {})
            .then(() => storage.removeUpload(entry.urlStorageKey))
            .then(listUnfinished);
        });
        li.append(name, discard);
        ul.appendChild(li);
      });
      show(box, mine.length > 0);
    });
  }
  listUnfinished();
})();
