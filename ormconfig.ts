/** Data source for the TypeORM CLI (`npm run migration:run`, `migration:revert`, `migration:check`). */
import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { loadConfig, loadDotEnv } from './src/config/app-config';
import { buildDataSourceOptions } from './src/database/data-source-options';

loadDotEnv();

export default new DataSource(buildDataSourceOptions(loadConfig()));
