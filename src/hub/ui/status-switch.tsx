/** The agent's status, online or paused; the server shares it with all of the agent's tabs. */
import type { JSX } from 'preact';
import { useState } from 'preact/hooks';
import type { AgentStatus } from '../state/console-store.js';
import { useStore } from './contexts.js';

const choices: { value: AgentStatus; label: string }[] = [
  { value: 'online', label: 'Online' },
  { value: 'paused', label: 'Paused' },
];

/**
 * Two radio buttons; a change is shown once the server confirms it.
 *
 * @example
 * <StatusSwitch />
 */
export function StatusSwitch(): JSX.Element {
  const store = useStore();
  const status = store.status.value;
  const [error, setError] = useState<string | undefined>(undefined);
  const change = async (value: AgentStatus) => {
    setError(undefined);
    const result = await store.setStatus(value);
    if (!result.ok) setError(result.message);
  };
  return (
    <fieldset class="status-switch">
      <legend class="visually-hidden">Your status</legend>
      {choices.map((choice) => (
        <label key={choice.value} class={`status-choice status-${choice.value}`}>
          <input
            type="radio"
            name="agent-status"
            value={choice.value}
            checked={status === choice.value}
            onChange={() => void change(choice.value)}
          />
          {choice.label}
        </label>
      ))}
      {error && (
        <span class="inline-error" role="alert">
          {error}
        </span>
      )}
    </fieldset>
  );
}
