// snippet: the inline loader a site owner pastes (a queue stub and an async script tag). Filled by the widget issue.
// May import: nothing.
export {};
