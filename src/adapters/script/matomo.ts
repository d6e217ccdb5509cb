// dist/adapters/matomo.min.js: registers the matomo adapter for the script tag (see register.ts); load it after base.min.js.
import { matomoAdapter } from '../matomo';
import { register } from './register';

register('matomo', matomoAdapter);
