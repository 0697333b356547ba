/** `npm run questionnaires:check`: validates every module in questionnaires/ and prints one line per problem. */
import { loadModules, ModuleLoadError, QUESTIONNAIRES_DIR } from '../questionnaires/module-loader';

try {
  const modules = loadModules(QUESTIONNAIRES_DIR);
  for (const { file, module } of modules) {
    const questions = module.sections.reduce((n, s) => n + s.questions.length, 0);
    process.stdout.write(`ok  ${file}  ${module.key}@${module.version}  ${module.sections.length} sections, ${questions} questions\n`);
  }
  process.stdout.write(`${modules.length} modules valid\n`);
} catch (err) {
  if (err instanceof ModuleLoadError) {
    process.stderr.write(err.message + '\n');
    process.exit(1);
  }
  throw err;
}
