// While Stripe confirms a payment, ask the server every two seconds whether it has; once it has
// (or the payment failed), reload so the page says so. Without script, "Check again" does this.
const panel = document.querySelector("[data-purchase-status-url]");
const POLL_MS = 2000;
const MAX_POLLS = 150; // five minutes; a bank payment can take days, and the page says so

if (panel) {
  let polls = 0;
  const poll = async () => {
    polls += 1;
    try {
      const response = await fetch(panel.dataset.purchaseStatusUrl, {
        headers: { Accept: "application/json" },
        credentials: "same-origin",
      });
      if (response.ok && (await response.json()).status !== "pending") {
        window.location.reload();
        return;
      }
    } catch {
      // A moment offline: the next poll tries again.
    }
    if (polls < MAX_POLLS) window.setTimeout(poll, POLL_MS);
  };
  window.setTimeout(poll, POLL_MS);
}
