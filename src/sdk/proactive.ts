/** Proactive messages from the widget settings: each shows once per page, after its delay, on matching paths. */
import type { ProactiveRule } from './types.js';

export interface ProactiveSchedule {
  /** The page changed: start rules that now match, cancel those that no longer do. */
  recheck(): void;
  stop(): void;
}

/**
 * Schedules the widget's proactive rules (already checked by `readSettings`). A rule with a `path`
 * waits for a page whose path starts with it; `delayMs` counts from when the rule starts matching.
 * The caller starts it only once consent allows.
 *
 * @example
 * const schedule = scheduleProactive(settings.proactive ?? [], (rule) => showInvitation(rule.message));
 * window.addEventListener('popstate', () => schedule.recheck());
 */
export function scheduleProactive(
  rules: readonly ProactiveRule[],
  show: (rule: ProactiveRule) => void,
): ProactiveSchedule {
  const timers = new Map<ProactiveRule, ReturnType<typeof setTimeout>>();
  const shown = new Set<ProactiveRule>();
  const recheck = () => {
    for (const rule of rules) {
      const matches = location.pathname.startsWith(rule.path ?? '');
      if (matches && !shown.has(rule) && !timers.has(rule)) {
        timers.set(
          rule,
          setTimeout(() => {
            timers.delete(rule);
            shown.add(rule);
            show(rule);
          }, rule.delayMs ?? 0),
        );
      } else if (!matches && timers.has(rule)) {
        clearTimeout(timers.get(rule));
        timers.delete(rule);
      }
    }
  };
  recheck();
  return {
    recheck,
    stop() {
      for (const timer of timers.values()) clearTimeout(timer);
      timers.clear();
    },
  };
}
