/**
 * Explicit limits shared by both ends. The server enforces them; the client uses them to
 * refuse bad input before it reaches the wire.
 */
export const limits = {
  /** Largest frame either side accepts, in bytes (ws would default to 100 MiB). */
  maxFrameBytes: 64 * 1024,
  /** Longest message body, in characters. */
  maxBodyChars: 4000,
  /** Longest sneak-peek draft forwarded to agents, in characters. */
  maxDraftChars: 4000,
  /** Most frames replayed on resume before the server answers "reload" instead. */
  replayLimit: 300,
  /** Largest page a history request returns. */
  historyPageLimit: 300,
  /** Largest page of transcripts or inbox requests one search returns. */
  transcriptPageLimit: 50,
  /** Most frames in one HTTP-fallback POST. */
  maxFramesPerPost: 50,
  /** Most conversations a hello may name in its resume point. */
  maxResumePoints: 500,
  /** How often clients ping; a link silent for twice this is dead. */
  heartbeatMs: 5000,
} as const;
