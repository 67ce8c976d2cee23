// Hosted page bootstrap. The capture flow lands here in the selfie-flow issue; until then the page says
// plainly that capture is not available yet rather than pretending to work.
const app = document.getElementById('app');
if (app) app.textContent = 'Identity capture is being set up. Please try again later.';
