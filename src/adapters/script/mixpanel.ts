// dist/adapters/mixpanel.min.js: registers the mixpanel adapter for the script tag (see register.ts).
import { mixpanelAdapter } from '../mixpanel';
import { register } from './register';

register('mixpanel', mixpanelAdapter);
