import 'reflect-metadata';

// Tests run quietly; a failing test prints what it needs.
process.env.LOG_LEVEL ??= 'silent';
