// Placeholder page until the UI issue lands: says what this is and where the API lives.
export function App() {
  return (
    <main style={{ fontFamily: 'system-ui, sans-serif', padding: '2rem', maxWidth: 640 }}>
      <h1>Cmdop Scheduler</h1>
      <p>
        The schedules UI is on its way. Meanwhile the Schedules API is served under <code>/v1</code>
        : see the README for curl examples.
      </p>
    </main>
  );
}
