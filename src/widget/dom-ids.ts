/** Element ids shared by the launcher (entry chunk) and the chat box (lazy chunk) in one shadow root. */
export const launcherId = 'parley-launcher';
export const chatBoxId = 'parley-chat';
