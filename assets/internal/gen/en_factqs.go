package main

// enFactIntents turn some of each topic's facts into intents of their own: a
// question or two whose helpful answer is the fact. They teach the model to
// answer from what it knows about a topic, not only the questions it has
// seen answered; the held-out prompts ask about the same things in words of
// their own ("how hot should the water be for tea?").
var enFactIntents = map[string][]intent{
	"tea": {
		in("green tea is best with water that is hot but not boiling.", "hot, but not boiling.",
			"what water is best for green tea?", "should i use boiling water for green tea?"),
		in("black tea goes well with milk.", "milk.", "what goes well with black tea?"),
		in("use one spoon of tea for each cup.", "one spoon for each cup.", "how many spoons of tea do i need?"),
		in("cold tea with lemon is fresh on a hot day.", "cold tea with lemon.", "what should i drink on a hot day?", "is tea good on a hot day?"),
		in("a cup of tea in the afternoon helps many people relax.", "a cup in the afternoon.", "can tea help me relax?"),
	},
	"coffee": {
		in("store coffee beans in a closed box in a cool place.", "in a closed box.", "where should i keep my coffee?"),
		in("grind the beans just before you make coffee.", "just before you make it.", "when should i grind coffee beans?"),
		in("coffee with milk is softer and less bitter.", "with milk.", "is coffee better with milk?"),
		in("try not to drink coffee after lunch if you want to sleep well.", "not after lunch.", "can i drink coffee in the afternoon?"),
		in("many people drink coffee in the morning to wake up.", "in the morning.", "why do people drink coffee in the morning?"),
	},
	"food": {
		in("fresh fruit is a sweet and healthy snack.", "fresh fruit.", "what is a healthy sweet snack?"),
		in("eat vegetables every day to stay healthy.", "every day.", "how often should i eat vegetables?"),
		in("beans are cheap and good for you.", "yes, and cheap.", "are beans good for me?"),
		in("brown bread is better for you than white bread.", "brown bread.", "which bread is best?", "is white bread good for me?"),
	},
	"cooking": {
		in("a salad is fresh vegetables with a little oil and salt.", "vegetables, oil and salt.", "what goes in a salad?"),
		in("fry an egg in a hot pan with a little oil.", "in a hot pan with oil.", "how do i cook an egg in a pan?"),
		in("cut the vegetables into small pieces so they cook evenly.", "cut them small.", "how should i cut vegetables?"),
		in("wash your hands before you cook.", "wash your hands.", "what should i do before i cook?"),
	},
	"the weather": {
		in("the four seasons are spring, summer, autumn and winter.", "spring, summer, autumn and winter.", "what are the four seasons?"),
		in("autumn is cool, and the leaves turn red and yellow.", "cool, with red leaves.", "tell me about autumn."),
		in("wind can make a cold day feel colder.", "yes, wind makes it colder.", "does wind make it colder?"),
		in("the sun is strong at noon, so wear a hat.", "at noon.", "when is the sun strongest?"),
	},
	"pets": {
		in("cats like small toys and balls.", "small toys and balls.", "how do i play with my cat?"),
		in("many cats live for fifteen years.", "about fifteen years.", "how long do cats live?"),
		in("take your pet to the vet once a year.", "once a year.", "how often should my pet see the vet?"),
		in("give your pet fresh water every day.", "fresh water every day.", "how often should i give my pet water?"),
	},
	"sleep": {
		in("snoring is often worse when you sleep on your back.", "try not to sleep on your back.", "why do people snore?"),
		in("warm milk before bed helps some people sleep.", "warm milk.", "is warm milk good before bed?"),
		in("we dream most in the early morning.", "in the early morning.", "when do we dream?"),
		in("reading a book can help you fall asleep.", "read a book.", "what helps me fall asleep?"),
		in("put your phone away an hour before bed.", "an hour before bed.", "when should i stop using my phone at night?"),
	},
	"school": {
		in("bring your books, a pen and some water to school.", "books, a pen and water.", "what do i need for school?"),
		in("make a plan for your homework.", "make a plan.", "how do i finish my homework?"),
		in("take short breaks when you study.", "yes, short ones.", "should i take breaks when i study?"),
		in("sleep well before a test.", "sleep well.", "what should i do the night before a test?"),
	},
	"travel": {
		in("a small hotel is often cheap and friendly.", "a small one.", "what hotel should i stay in?"),
		in("check the map before you leave.", "check the map.", "what should i do before a trip?"),
		in("drink water and walk around on long trips.", "drink water and walk around.", "how do i feel good on a long trip?"),
		in("keep some money in a safe place.", "in a safe place.", "where should i keep my money when i travel?"),
	},
	"sports": {
		in("riding a bike is easy once you practice.", "practice.", "is it hard to ride a bike?"),
		in("basketball is played by two teams with a ball and a high basket.", "two teams and a basket.", "tell me about basketball."),
		in("stretch before and after you run.", "before and after.", "when should i stretch?"),
		in("swimming is good for the whole body.", "the whole body.", "is swimming good exercise?"),
	},
	"music": {
		in("listen to a song many times to learn it.", "listen many times.", "how do i learn to sing a song?"),
		in("you play the drums with two sticks.", "with two sticks.", "what do i need to play the drums?"),
		in("a guitar has six strings.", "six.", "how many strings does a guitar have?"),
		in("singing with friends is fun.", "yes, it is fun.", "is it fun to sing with friends?"),
	},
	"books": {
		in("children love books with pictures.", "books with pictures.", "what books do children like?"),
		in("short stories are a good place to start.", "short stories.", "what should i read first?"),
		in("read a little every night before bed.", "every night.", "when should i read?"),
		in("reading helps you learn new words.", "new words.", "what does reading teach me?"),
	},
	"health": {
		in("rest your eyes when you look at a screen for a long time.", "rest them often.", "are screens bad for my eyes?"),
		in("walking every day is good for your heart.", "walking.", "what is good for my heart?"),
		in("talk to a friend if you are feeling sad for a long time.", "talk to a friend.", "what should i do when i feel sad?"),
		in("too much sugar is bad for your teeth.", "too much sugar.", "what is bad for my teeth?"),
	},
	"plants": {
		in("herbs grow well on a sunny window.", "on a sunny window.", "where do herbs grow well?"),
		in("trees lose their leaves in the autumn to rest in the winter.", "to rest in the winter.", "why do trees lose their leaves?"),
		in("most plants need sun and water to grow.", "sun and water.", "what do plants need?"),
		in("flowers need bees to make seeds.", "bees.", "why are bees good for flowers?"),
	},
	"the city": {
		in("the subway is a fast train under the city.", "a fast train under the city.", "what is the subway?"),
		in("park your car in a car park near the center.", "in a car park.", "where should i leave my car in the city?"),
		in("the market opens early in the morning.", "early in the morning.", "when does the market open?"),
		in("the park is a quiet place in the city.", "the park.", "where can i relax in the city?"),
	},
	"work": {
		in("wear clean, simple clothes to an interview.", "clean, simple clothes.", "how should i dress for a job interview?"),
		in("a difficult team needs clear goals and kind words.", "clear goals and kind words.", "how do i lead a team?"),
		in("be on time for meetings.", "on time.", "how do i make a good impression at work?"),
		in("a tidy desk helps you work better.", "a tidy desk.", "how should i keep my desk?"),
	},
}
