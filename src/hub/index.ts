// hub: the agent console, a Preact app served at /hub. Filled by the Hub issue.
// May import: transport, protocol.
export {};
