// sdk: the public JS API (pre-init buffer, consent and storage, events, destinations). Filled by the widget issue.
// May import: protocol, transport, and widget lazily (dynamic import only).
export {};
