/** The new-message sound: a short, quiet tone made with Web Audio, so no audio file ships. */

let context: AudioContext | undefined;

/**
 * Plays a 250 ms tone. Browsers that block audio before the visitor interacted simply stay silent.
 *
 * @example
 * playTone();
 */
export function playTone(): void {
  try {
    context ??= new AudioContext();
    const start = context.currentTime;
    const oscillator = context.createOscillator();
    const gain = context.createGain();
    oscillator.frequency.value = 880;
    gain.gain.setValueAtTime(0.08, start);
    gain.gain.exponentialRampToValueAtTime(0.0001, start + 0.25);
    oscillator.connect(gain).connect(context.destination);
    oscillator.start(start);
    oscillator.stop(start + 0.25);
  } catch {
    // No Web Audio, or playback refused: a missing chime is not worth an error.
  }
}
