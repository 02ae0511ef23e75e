// snippet: the inline loader a site owner pastes (a queue stub and an async script tag).
// May import: nothing. This entry is the build's input (dist/snippet/snippet.js, served as /snippet.js).
import './snippet.js';
