/** The alert sound: a short two-note chime made with Web Audio, so no audio file ships. */

let context: AudioContext | undefined;

/**
 * Plays a quiet 300 ms chime. Browsers that block audio before the first click stay silent.
 *
 * @example
 * playChime();
 */
export function playChime(): void {
  try {
    const Context = (globalThis as { AudioContext?: typeof AudioContext }).AudioContext;
    if (!Context) return;
    context ??= new Context();
    const start = context.currentTime;
    for (const [index, frequency] of [660, 880].entries()) {
      const at = start + index * 0.12;
      const oscillator = context.createOscillator();
      const gain = context.createGain();
      oscillator.frequency.value = frequency;
      gain.gain.setValueAtTime(0.07, at);
      gain.gain.exponentialRampToValueAtTime(0.0001, at + 0.18);
      oscillator.connect(gain).connect(context.destination);
      oscillator.start(at);
      oscillator.stop(at + 0.18);
    }
  } catch {
    // No Web Audio, or playback refused: a missing chime is not worth an error.
  }
}
