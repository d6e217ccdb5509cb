/** Asks for the reporting API token when the page has none or the collector refused it. */
import { useEffect, useId, useRef, useState, type FormEvent } from 'react';

export function TokenPrompt({ refused, onToken }: { refused?: string | null; onToken: (token: string) => void }) {
  const id = useId();
  const [value, setValue] = useState('');
  const input = useRef<HTMLInputElement>(null);
  // The prompt is the only thing on the page: put the keyboard where the answer goes.
  useEffect(() => input.current?.focus(), []);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const token = value.trim();
    if (token) onToken(token);
  };

  return (
    <main className="token-prompt">
      <form className="panel" onSubmit={submit} aria-labelledby={`${id}-h`}>
        <h1 id={`${id}-h`}>Session metrics</h1>
        {refused ? (
          <p className="panel__error" role="alert">
            {refused}
          </p>
        ) : (
          <p>
            Open the dashboard with the link <code>npm start</code> prints, or paste the collector's API token.
          </p>
        )}
        <label htmlFor={`${id}-token`}>API token</label>
        <input
          id={`${id}-token`}
          ref={input}
          type="password"
          autoComplete="off"
          spellCheck={false}
          value={value}
          onChange={(e) => setValue(e.target.value)}
          required
        />
        <button type="submit">Open dashboard</button>
      </form>
    </main>
  );
}
