export * from './workerMessages';
