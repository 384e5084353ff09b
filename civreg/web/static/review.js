// The review page's keyboard: focus starts on the first flagged field with its text
// selected (typing replaces it); Enter confirms a field and goes to the next flagged one;
// Ctrl+Enter (or `a` outside a field) approves and opens the next act; `r` goes to the
// reason box, where Enter rejects; Esc leaves a field. Without JavaScript the form works
// with buttons alone.
"use strict";
(() => {
  const form = document.getElementById("review-form");
  if (!form) return;
  const inputs = Array.from(form.querySelectorAll("input.field-value"));
  const flagged = inputs.filter((input) => input.dataset.flagged === "1");
  const approveButton = document.getElementById("approve");
  const rejectButton = document.getElementById("reject");
  const reason = document.getElementById("reason");
  const highlight = document.getElementById("highlight");
  const row = (input) => input.closest(".field");

  function outline(input) {
    const box = row(input).dataset.box;
    if (!highlight) return;
    if (!box) {
      highlight.hidden = true;
      return;
    }
    const [x, y, w, h] = box.split(",");
    Object.assign(highlight.style, { left: `${x}%`, top: `${y}%`, width: `${w}%`, height: `${h}%` });
    highlight.hidden = false;
  }

  function enter(input) {
    input.focus();
    input.select();
    row(input).scrollIntoView({ block: "center" });
  }

  function nextAfter(input) {
    const order = flagged.length ? flagged : inputs;
    const here = inputs.indexOf(input);
    return order.find((other) => inputs.indexOf(other) > here && !row(other).classList.contains("confirmed"));
  }

  function submit(button) {
    if (form.dataset.sent) return;
    form.requestSubmit(button);
  }

  for (const input of inputs) {
    input.addEventListener("focus", () => outline(input));
    input.addEventListener("input", () => row(input).classList.add("edited"));
  }

  form.addEventListener("keydown", (event) => {
    const target = event.target;
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      submit(approveButton);
    } else if (target.classList.contains("field-value")) {
      if (event.key === "Enter") {
        event.preventDefault();
        row(target).classList.add("confirmed");
        const next = nextAfter(target);
        if (next) enter(next);
        else approveButton.focus();
      } else if (event.key === "Tab" && !event.shiftKey) {
        row(target).classList.add("confirmed");
      } else if (event.key === "Escape") {
        event.preventDefault();
        target.blur();
      }
    } else if (target === reason && event.key === "Enter") {
      event.preventDefault();
      submit(rejectButton);
    }
  });

  document.addEventListener("keydown", (event) => {
    if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey) return;
    const target = event.target;
    if (target instanceof HTMLInputElement || target instanceof HTMLSelectElement || target instanceof HTMLTextAreaElement) return;
    if (event.key === "a") {
      event.preventDefault();
      submit(approveButton);
    } else if (event.key === "r") {
      event.preventDefault();
      reason.focus();
    }
  });

  form.addEventListener("submit", (event) => {
    if (event.submitter === rejectButton && !reason.value.trim()) {
      event.preventDefault();
      reason.placeholder = "a rejection needs a reason: type it, then Enter";
      reason.focus();
      return;
    }
    if (form.dataset.sent) event.preventDefault();
    form.dataset.sent = "1";
  });

  const first = flagged[0] || inputs[0];
  if (first) enter(first);
})();
