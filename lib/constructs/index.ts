export * from './context';
export * from './selection';
export * from './service';
export * from './workload';
export * from './deployment';
export * from './stateful-set';
