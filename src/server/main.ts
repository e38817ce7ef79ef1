// Headless entry: `npm run serve`. Also what `npm start` runs where no Electron binary exists.
import { ConfigError, loadConfig } from './config';
import { DataDirError } from './db/client';
import { createLogger } from './logger';
import { StartupError, startServer } from './server';

async function main() {
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(1);
    }
    throw err;
  }
  const logger = createLogger(config.logLevel, process.stderr);
  let running;
  try {
    running = await startServer({ config, logger });
  } catch (err) {
    if (err instanceof StartupError || err instanceof DataDirError) {
      console.error(err.message);
      process.exit(1);
    }
    throw err;
  }
  console.log(`Bob listening on ${running.url} (data: ${config.dataDir})`);

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info('shutting down', { signal });
    running.close().then(
      () => process.exit(0),
      (err) => {
        logger.error('shutdown failed', { err: String(err) });
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

void main();
