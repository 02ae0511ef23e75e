/** Ordered, duplicate-free delivery of sequenced frames, per conversation, with gap filling. */
import { limits, type SequencedFrame } from '../protocol/index.js';

export interface ResumePoint {
  conversationId: string;
  /** The last sequence number delivered in order; 0 when nothing was seen. */
  seq: number;
}

export interface SequencerOptions {
  /** Receives each frame once, in sequence order, without gaps. */
  deliver(frame: SequencedFrame): void;
  /** Asks the server for the frames after `afterSeq`; the answer comes back through `page`. */
  fetch(conversationId: string, afterSeq: number): void;
}

interface Track {
  /** The last sequence number delivered. */
  last: number;
  /** Frames that arrived ahead of a gap, by seq. */
  ahead: Map<number, SequencedFrame>;
  /** Whether a history request for this conversation is out. */
  fetching: boolean;
  /** A sequence number the server said exists (reload), to fetch up to even with nothing ahead. */
  target: number;
}

/**
 * Turns frames that may arrive twice, late or out of order (replay, live fan-out, history pages,
 * resends after a reconnect) into one gap-free stream per conversation: a frame at or below the
 * last delivered seq is dropped, the next one is delivered, one further ahead waits while the
 * missing range is fetched.
 *
 * @example
 * const sequencer = new Sequencer({ deliver: show, fetch: (id, afterSeq) => askHistory(id, afterSeq) });
 * sequencer.accept(frameWithSeq1); // delivered
 * sequencer.accept(frameWithSeq3); // held; fetch('c1', 1) is called
 * sequencer.page('c1', [frameWithSeq2], false); // delivers 2, then 3
 */
export class Sequencer {
  readonly #tracks = new Map<string, Track>();
  readonly #options: SequencerOptions;

  constructor(options: SequencerOptions, resume: readonly ResumePoint[] = []) {
    this.#options = options;
    for (const point of resume) this.#track(point.conversationId).last = Math.max(0, point.seq);
  }

  accept(frame: SequencedFrame): void {
    const track = this.#track(frame.conversationId);
    if (!this.#hold(track, frame)) return;
    this.#drain(frame.conversationId, track);
    if (track.ahead.size > 0) this.#fill(frame.conversationId, track);
  }

  /**
   * A page of history for a fill: delivers what continues the sequence and asks for the next page
   * while the server has more, frames wait ahead, or a reload target is not reached yet.
   */
  page(conversationId: string, frames: readonly SequencedFrame[], more: boolean): void {
    const track = this.#track(conversationId);
    track.fetching = false;
    const before = track.last;
    for (const frame of frames) if (frame.conversationId === conversationId) this.#hold(track, frame);
    this.#drain(conversationId, track);
    const wanting = more || track.ahead.size > 0 || track.last < track.target;
    // Without progress another request would get the same answer; a later frame or reconnect retries.
    if (wanting && track.last > before) this.#fill(conversationId, track);
  }

  /** The server's replay gap was too long: fetch everything up to `lastSeq` through history. */
  reload(conversationId: string, lastSeq: number): void {
    const track = this.#track(conversationId);
    track.target = Math.max(track.target, lastSeq);
    if (track.target > track.last) this.#fill(conversationId, track);
  }

  /** A fill failed (error reply); the gap stays and the next frame or reconnect asks again. */
  fillFailed(conversationId: string): void {
    const track = this.#tracks.get(conversationId);
    if (track) track.fetching = false;
  }

  /** The link dropped: fills in flight are void, the resume replay brings their frames instead. */
  cancelFills(): void {
    for (const track of this.#tracks.values()) track.fetching = false;
  }

  /** The last delivered seq of a conversation (0 if none). */
  lastSeq(conversationId: string): number {
    return this.#tracks.get(conversationId)?.last ?? 0;
  }

  /** Where each conversation stands, most recently active last, at most `limits.maxResumePoints`. */
  points(): ResumePoint[] {
    const points = [...this.#tracks].map(([conversationId, track]) => ({ conversationId, seq: track.last }));
    return points.slice(-limits.maxResumePoints);
  }

  /** Puts a frame in the waiting set unless it is a duplicate; true if it was new. */
  #hold(track: Track, frame: SequencedFrame): boolean {
    if (frame.seq <= track.last || track.ahead.has(frame.seq)) return false;
    track.ahead.set(frame.seq, frame);
    return true;
  }

  /** Delivers waiting frames for as long as they continue the sequence. */
  #drain(conversationId: string, track: Track): void {
    for (let next = track.ahead.get(track.last + 1); next; next = track.ahead.get(track.last + 1)) {
      track.ahead.delete(next.seq);
      track.last = next.seq;
      // Re-inserting keeps the map in order of activity, so `points()` keeps the active ones.
      this.#tracks.delete(conversationId);
      this.#tracks.set(conversationId, track);
      this.#options.deliver(next);
    }
  }

  #fill(conversationId: string, track: Track): void {
    if (track.fetching) return;
    track.fetching = true;
    this.#options.fetch(conversationId, track.last);
  }

  #track(conversationId: string): Track {
    let track = this.#tracks.get(conversationId);
    if (!track) {
      track = { last: 0, ahead: new Map(), fetching: false, target: 0 };
      this.#tracks.set(conversationId, track);
    }
    return track;
  }
}
