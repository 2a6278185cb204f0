// Issue 10, "Close the blind spot": the visitor's and the marketer's journeys on embedded SQLite.
import { defineJourneys } from './define-journeys.js';

defineJourneys('sqlite', undefined);
