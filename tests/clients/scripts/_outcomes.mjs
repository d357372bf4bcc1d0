// The one runner of the npm client scripts: runs the scenarios named on the command line (all
// when none is), and prints one JSON line `{name: {ok: result} | {error: describe(err)}}`.
export async function report(scenarios, describe) {
  const names = process.argv.length > 2 ? process.argv.slice(2) : Object.keys(scenarios);
  const outcomes = {};
  for (const name of names) {
    try {
      outcomes[name] = { ok: (await scenarios[name]()) ?? null };
    } catch (err) {
      outcomes[name] = { error: describe(err) };
    }
  }
  process.stdout.write(JSON.stringify(outcomes) + "\n");
}
