// Demo visitor: creates a session (the demo page counts as consent), connects, and renders
// every message as text.
import { createClient } from '/browser/client.js';

const widgetId = new URLSearchParams(location.search).get('widget');
const status = document.getElementById('status');
const list = document.getElementById('messages');
const form = document.getElementById('composer');
const input = document.getElementById('body');

async function start() {
  if (!widgetId) throw new Error('add ?widget=<widget ID> to the URL (see data/demo.json)');
  const response = await fetch(`/v1/widgets/${widgetId}/sessions`, { method: 'POST' });
  if (!response.ok) throw new Error(`could not start a session (${response.status})`);
  const { token } = await response.json();
  const client = createClient({ url: location.origin, role: 'visitor', token, widgetId });
  client.on('state', ({ state }) => (status.textContent = state === 'open' ? 'Connected' : `${state}…`));
  client.on('message', (message) => {
    const item = document.createElement('li');
    item.className = message.author.role;
    item.textContent = `${message.author.name ?? message.author.role}: ${message.body}`;
    list.append(item);
  });
  client.on('conversation.assigned', (frame) => (status.textContent = `${frame.agent.name} joined`));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const body = input.value.trim();
    if (!body) return;
    input.value = '';
    client.send({ body }).catch((error) => (status.textContent = `Not sent: ${error.message}`));
  });
  await client.connect();
}

start().catch((error) => (status.textContent = error.message));
