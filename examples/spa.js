/* global Parley -- defined by the snippet (demo-snippet.js) before this script runs */
// A tiny single-page app: views change with history.pushState and popstate, never a page load.
const views = {
  home: 'Welcome! Browse the shop; the chat follows you from view to view.',
  pricing: 'Plans start at 9 € a month. Questions? The chat knows you are on the pricing view.',
  checkout: 'Almost done. Stuck at checkout? Ask in the chat.',
};

function currentView() {
  return new URLSearchParams(location.search).get('view') ?? 'home';
}

function render() {
  const view = views[currentView()] ? currentView() : 'home';
  document.getElementById('view').textContent = views[view];
  for (const link of document.querySelectorAll('a[data-view]')) {
    if (link.dataset.view === view) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
}

function navigate(view) {
  const params = new URLSearchParams(location.search);
  params.set('view', view);
  history.pushState({ view }, '', `?${params}`);
  render();
}

for (const link of document.querySelectorAll('a[data-view]')) {
  link.addEventListener('click', (event) => {
    event.preventDefault();
    navigate(link.dataset.view);
  });
}
addEventListener('popstate', render);
render();

// The JS API's events, listed as they happen.
for (const name of ['open', 'close', 'chatStarted', 'messageSent', 'messageReceived', 'unreadCountChanged']) {
  Parley('on', name, (payload) => {
    const item = document.createElement('li');
    item.textContent = `${name} ${JSON.stringify(payload)}`;
    document.getElementById('events').append(item);
  });
}
