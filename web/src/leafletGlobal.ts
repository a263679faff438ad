// leaflet.markercluster is a plugin that extends the global `L`: make the bundled Leaflet that global first.
import L from 'leaflet';

(window as unknown as { L: typeof L }).L = L;
