/**
 * The demo: a small order story run against an embedded store in a local folder.
 */
package dev.hindsight.tools.demo;
