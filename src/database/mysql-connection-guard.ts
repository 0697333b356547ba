import type { DataSource, QueryRunner } from 'typeorm';

type MysqlRunner = QueryRunner & { databaseConnection?: { destroy(): void; release(): void } };

/**
 * A MySQL/MariaDB query runner goes back to the pool when released, even when its COMMIT and
 * ROLLBACK both failed and the connection is still inside the transaction. The next user of the
 * connection would then write inside it, and a START TRANSACTION would commit the failed
 * request's writes along with its own. Such a connection is destroyed instead: the server rolls
 * its transaction back, and the pool opens a new one.
 */
export function guardMysqlConnections(dataSource: DataSource): void {
  const driver = dataSource.driver;
  const create = driver.createQueryRunner.bind(driver);
  driver.createQueryRunner = (mode) => {
    const runner = create(mode) as MysqlRunner;
    const release = runner.release.bind(runner);
    runner.release = () => {
      const conn = runner.databaseConnection;
      if (runner.isTransactionActive && conn && !runner.isReleased) {
        (runner as { isReleased: boolean }).isReleased = true;
        conn.destroy();
        return Promise.resolve();
      }
      return release();
    };
    return runner;
  };
}
