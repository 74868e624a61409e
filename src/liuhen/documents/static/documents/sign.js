// The party's signature on the tablet (R9.1): signature_pad on a high-DPI, resize-safe canvas,
// Clear and Undo; the strokes are sent as a PNG cropped to what was drawn.
(() => {
  "use strict";
  const MARGIN = 12; // CSS px of blank kept around the strokes

  function fitToSize(canvas, pad) {
    // The bitmap follows the CSS size × device pixels; the strokes are kept and redrawn.
    const ratio = Math.max(window.devicePixelRatio || 1, 1);
    const width = Math.round(canvas.offsetWidth * ratio);
    const height = Math.round(canvas.offsetHeight * ratio);
    if (canvas.width === width && canvas.height === height) return;
    const strokes = pad.toData();
    canvas.width = width;
    canvas.height = height;
    canvas.getContext("2d").scale(ratio, ratio);
    pad.clear();
    pad.fromData(strokes);
  }

  function croppedPng(canvas) {
    // The bounding box of the drawn pixels, so the signature prints at its size on the line.
    const context = canvas.getContext("2d");
    const { width, height } = canvas;
    const pixels = context.getImageData(0, 0, width, height).data;
    let top = height;
    let left = width;
    let right = -1;
    let bottom = -1;
    for (let y = 0; y < height; y += 1) {
      for (let x = 0; x < width; x += 1) {
        if (pixels[(y * width + x) * 4 + 3] > 0) {
          if (x < left) left = x;
          if (x > right) right = x;
          if (y < top) top = y;
          if (y > bottom) bottom = y;
        }
      }
    }
    if (right < 0) return "";
    const margin = Math.round(MARGIN * Math.max(window.devicePixelRatio || 1, 1));
    left = Math.max(0, left - margin);
    top = Math.max(0, top - margin);
    right = Math.min(width - 1, right + margin);
    bottom = Math.min(height - 1, bottom + margin);
    const out = document.createElement("canvas");
    out.width = right - left + 1;
    out.height = bottom - top + 1;
    out.getContext("2d").drawImage(canvas, left, top, out.width, out.height, 0, 0, out.width, out.height);
    return out.toDataURL("image/png");
  }

  function setUpPad(form) {
    const canvas = form.querySelector("[data-signature-pad]");
    const field = form.querySelector("[data-signature-field]");
    if (!canvas || !field) return;
    if (typeof window.SignaturePad !== "function" || !canvas.getContext) {
      form.querySelector("[data-pad-unsupported]")?.removeAttribute("hidden");
      return;
    }
    const pad = new window.SignaturePad(canvas, {
      penColor: "rgb(0, 0, 0)",
      backgroundColor: "rgba(0, 0, 0, 0)",
      minWidth: 1.2,
      maxWidth: 3.6,
    });
    fitToSize(canvas, pad);
    let pending = 0;
    window.addEventListener("resize", () => {
      window.cancelAnimationFrame(pending);
      pending = window.requestAnimationFrame(() => fitToSize(canvas, pad));
    });
    form.querySelector("[data-pad-clear]")?.addEventListener("click", () => pad.clear());
    form.querySelector("[data-pad-undo]")?.addEventListener("click", () => {
      const strokes = pad.toData();
      strokes.pop();
      pad.fromData(strokes);
    });
    form.addEventListener("submit", () => {
      field.value = pad.isEmpty() ? "" : croppedPng(canvas);
    });
  }

  function setUpDefaults(form) {
    // Choosing who signs fills that person's name, unless someone typed one.
    const select = form.querySelector("[data-role-select]");
    const name = form.querySelector("[data-name-input]");
    if (select && name) {
      name.addEventListener("input", () => {
        name.dataset.typed = "1";
      });
      select.addEventListener("change", () => {
        const option = select.selectedOptions[0];
        if (option && !name.dataset.typed) name.value = option.dataset.name || "";
      });
    }
    // R8.2: a waiver ticked is written into the opinion the party signs.
    const opinion = form.querySelector("[data-opinion]");
    form.querySelectorAll("[data-waiver-text]").forEach((box) => {
      box.addEventListener("change", () => {
        if (!opinion) return;
        const text = box.dataset.waiverText;
        const before = opinion.value.trim();
        if (box.checked && !before.includes(text)) {
          // A statement after the opinion is a sentence of its own: close the one before.
          const ended = before === "" || /[。！？；.!?;]$/.test(before);
          opinion.value = before + (ended ? "" : "。") + text;
        } else if (!box.checked) {
          opinion.value = before.replace(text, "").trim();
        }
      });
    });
  }

  document.addEventListener("DOMContentLoaded", () => {
    document.querySelectorAll("[data-sign-form]").forEach((form) => {
      setUpPad(form);
      setUpDefaults(form);
    });
    // A refused signature or refusal: its message is far down a tall page; show it.
    document.querySelector("[data-error]")?.scrollIntoView({ block: "center" });
  });
})();
