// server: the Node reference server (HTTP + WebSocket gateway, services, store, bus, CLI).
// May import: protocol, Node built-ins and server packages; never DOM code or other src/ folders.
export { startServer, type RunningServer } from './app.js';
export { resolveConfig, defaultRates, type ServerConfig } from './config.js';
export { createAccount, createAgent, createWidget, type WidgetSettings } from './provision.js';
export { openStore, type Store } from './store/open.js';
export type { Database } from './store/schema.js';
export { main } from './cli.js';
