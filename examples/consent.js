/* global Parley -- defined by the snippet (demo-snippet.js) before this script runs */
// The site's own consent banner drives the widget's consent. The call below is queued by the
// snippet's stub and applied before the widget stores or connects anything.
Parley('setDefaultImplicitConsent', false);

// The site remembers its visitor's choice in its own storage, as any consent banner does.
const choiceKey = 'demo-site-consent';

function showState() {
  Parley('getConsent').then((state) => (document.getElementById('consent-state').textContent = state));
}

function decide(choice) {
  localStorage.setItem(choiceKey, choice);
  document.getElementById('banner').hidden = true;
  Parley('consent', choice === 'granted' ? 'grant' : 'deny').then(showState);
}

document.addEventListener('DOMContentLoaded', () => {
  const earlier = localStorage.getItem(choiceKey);
  if (earlier) decide(earlier);
  else document.getElementById('banner').hidden = false;
  document.getElementById('accept').addEventListener('click', () => decide('granted'));
  document.getElementById('decline').addEventListener('click', () => decide('denied'));
  document.getElementById('forget').addEventListener('click', () => {
    localStorage.removeItem(choiceKey);
    Parley('clearAll').then(() => {
      document.getElementById('banner').hidden = false;
      showState();
    });
  });
  Parley('on', 'chatStarted', showState);
  showState();
});
