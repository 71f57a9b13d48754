// The workspace's entry module (kept at this path, which the server has always served); the code is in app/.
import "./app/main.js"
