/** `npm run contracts:check`: validates the clause library in contracts/ and prints one line per problem. */
import { ClauseLibraryError, CONTRACTS_DIR, loadClauseLibrary } from '../contracts/clause-library-loader';

try {
  const library = loadClauseLibrary(CONTRACTS_DIR);
  for (const set of library.sets) {
    const params = set.clauses.reduce((n, c) => n + (c.params?.length ?? 0), 0);
    process.stdout.write(`ok  ${set.set}  ${set.clauses.length} clauses, ${params} parameters  (${set.source.en})\n`);
  }
  process.stdout.write(`${library.clauses.length} clauses valid\n`);
} catch (err) {
  if (err instanceof ClauseLibraryError) {
    process.stderr.write(err.message + '\n');
    process.exit(1);
  }
  throw err;
}
