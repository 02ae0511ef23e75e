// Keeps ?widget= on the links between the demo pages.
const widget = new URLSearchParams(location.search).get('widget');
for (const link of document.querySelectorAll('a[data-demo]')) {
  if (widget) link.search = new URLSearchParams({ widget }).toString();
}
