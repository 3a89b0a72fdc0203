// Vite turns imported stylesheets into <link> tags.
declare module '*.css';
