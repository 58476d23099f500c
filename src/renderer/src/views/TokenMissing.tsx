// What a browser shows without a token: how to get one, not a wall of 401s.
export function TokenMissing() {
  return (
    <main className="token-missing">
      <h1>Cmdop Scheduler</h1>
      <p>This page needs the API token of the scheduler that serves it.</p>
      <ol>
        <li>
          Open the link that <code>cmdop-scheduler serve</code> printed when it started — it ends in{' '}
          <code>#token=…</code> and logs you in.
        </li>
        <li>
          Or read the token from the file <code>api-token</code> in the data directory (also printed
          at start) and open <code>{window.location.origin}/#token=&lt;token&gt;</code>.
        </li>
      </ol>
      <p className="muted">The token stays in this tab only and is removed from the address bar.</p>
    </main>
  );
}
