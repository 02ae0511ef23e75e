// widget: the visitor chat box (Preact + signals in a Shadow DOM). Filled by the widget issue.
// May import: sdk types, protocol.
export {};
